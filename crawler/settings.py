"""Crawler settings: polite by default (robots.txt, AutoThrottle, 2 requests per host)."""

BOT_NAME = "ogi-archive"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Identify ourselves, with a way to reach us.
USER_AGENT = "ogi-archive/0.1 (+https://github.com/ogi-archive/ogi-archive; open archive of OGI annual reports)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
# Per download; a report's files together get OGI_REPORT_MAXSIZE (scanned reports run to tens of MB).
DOWNLOAD_MAXSIZE = 100 * 1024 * 1024
OGI_REPORT_MAXSIZE = 300 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
REDIRECT_MAX_TIMES = 10
DEPTH_LIMIT = 12
COOKIES_ENABLED = True
# No control ports: the telnet console and Scrapy's remote-control server (which runs code sent to it)
# are attack surface a crawler of strangers' pages does not need.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
# a request may name its purpose (one gkmlpt shell read per catalogue): see crawler/fingerprints.py
REQUEST_FINGERPRINTER_CLASS = "crawler.fingerprints.VariantFingerprinter"
LOG_LEVEL = "INFO"

# The headless browser (crawler/middlewares/browser.py), for the pages that need it: Chromium's path (default: the
# system's chromium), seconds and requests per page, pages rendered at once (one per portal), and the
# seconds of rendering one portal may take in a crawl (its endless scripts then stop costing anyone).
OGI_BROWSER = ""
OGI_BROWSER_TIMEOUT = 30
OGI_BROWSER_MAX_REQUESTS = 60
OGI_BROWSER_PAGES = 2
OGI_BROWSER_PORTAL_SECONDS = 300

# The raw store (WARC files, the fetch log, run records): see rawstore/store.py.
OGI_STORE = "store"
# Also keep each body as a file under the store's blobs/ (a cache: the WARC records hold every body; with
# it, bodies take twice their room).
OGI_BLOB_CACHE = False
# The run this crawl's fetches and run record are counted to (default: a new name per crawl; the workers
# of one distributed crawl share one).
OGI_RUN = ""
# Ask for a report page or attachment the store holds only when its revisit is due (crawler/revisits.py):
# list pages every run, a document daily while new and every four weeks at most once stable. OGI_NOW
# (ISO 8601) is the time the schedule counts from, for tests; default the clock's.
OGI_REVISIT = True
OGI_NOW = ""
# Seeds: the list of portals (see seeds/README.md).
OGI_SEEDS = "seeds/portals.csv"

# The URL policy (crawler/urlpolicy.py): http/https to public addresses only, apart from these
# (host, host:port or CIDR, comma-separated). Empty for real portals; the farm profile names its network.
OGI_ALLOWED_HOSTS = ""
TWISTED_DNS_RESOLVER = "crawler.urlpolicy.PolicyResolver"
# The middleware checks the address it resolved; the connection must use that same answer.
DNSCACHE_ENABLED = True
# Only HTTP(S) downloads exist at all: a file://, ftp://, s3:// or data: URL has no handler to reach.
DOWNLOAD_HANDLERS = {"file": None, "ftp": None, "s3": None, "data": None}

# A frontier shared by many workers (crawler/frontier/): a Redis URL switches it on; the workers of one
# crawl share OGI_RUN, each has its own OGI_STORE (shard) and OGI_WORKER name (default host-pid). A worker
# silent for OGI_FRONTIER_TTL seconds is taken for dead and its requests are queued again.
OGI_FRONTIER = ""
OGI_WORKER = ""
OGI_FRONTIER_TTL = 60
# Politeness per host across all workers (crawler/frontier/hostslots.py, with the frontier): at most
# OGI_HOST_CONCURRENCY requests at once (0: CONCURRENT_REQUESTS_PER_DOMAIN) and OGI_HOST_DELAY seconds
# between the starts of two requests to one host, whichever worker sends them.
OGI_HOST_CONCURRENCY = 0
OGI_HOST_DELAY = 1.0
ADDONS = {"crawler.frontier.Frontier": 0}

DOWNLOADER_MIDDLEWARES = {
    # First of all, before robots.txt is fetched for a host nobody checked.
    "crawler.urlpolicy.UrlPolicyMiddleware": 10,
    # A list drawn only by scripts, rendered in headless Chromium whose every request comes back through here.
    "crawler.middlewares.browser.BrowserMiddleware": 20,
    # Next to the downloader, so that it archives every raw response: redirects, 5xx before retry, robots.txt.
    "crawler.middlewares.archive.ArchiveMiddleware": 950,
    # Servlet session ids out of what the crawl reads (the archive keeps them): redirect targets before
    # RedirectMiddleware (600) reads them, pages after HttpCompressionMiddleware (590) has unpacked them
    # and before MetaRefreshMiddleware (580) reads a refresh's target.
    "crawler.middlewares.sessionids.SessionIdRedirects": 610,
    "crawler.middlewares.sessionids.SessionIdPages": 585,
    # Scrapy's cookies, with the public-suffix list it would download read from tldextract's own copy
    "scrapy.downloadermiddlewares.cookies.CookiesMiddleware": None,
    "crawler.middlewares.cookies.OfflineSuffixCookies": 700,
}
ITEM_PIPELINES = {
    "crawler.pipelines.ReportPipeline": 300,
}
EXTENSIONS = {
    "crawler.extensions.summary.CrawlSummary": 500,
    "crawler.extensions.runs.RunRecorder": 510,
    "crawler.extensions.jobdir.JobdirGuard": 0,
}
