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
DOWNLOAD_MAXSIZE = 200 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
REDIRECT_MAX_TIMES = 10
DEPTH_LIMIT = 12
COOKIES_ENABLED = True
TELNETCONSOLE_ENABLED = False
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
LOG_LEVEL = "INFO"

# The raw store (WARC files, blobs by SHA-256, the fetch log): see crawler/store.py.
OGI_STORE = "store"
# Seeds: the list of portals (see seeds/README.md).
OGI_SEEDS = "seeds/portals.csv"

DOWNLOADER_MIDDLEWARES = {
    # Next to the downloader, so that it archives every raw response: redirects, 5xx before retry, robots.txt.
    "crawler.middlewares.ArchiveMiddleware": 950,
}
ITEM_PIPELINES = {
    "crawler.pipelines.ReportPipeline": 300,
}
EXTENSIONS = {
    "crawler.extensions.CrawlSummary": 500,
}
