"""What the fetch log files a request under: a GET by its URL, a POST by its URL and body (as pywb indexes
POST captures: its wiki, "POST request replay": the POST data is "treated no differently than a GET query")."""

from __future__ import annotations

from rawstore import fetch_key
from rawstore.store import POST_KEY_BYTES


def test_a_get_is_its_url():
    assert fetch_key("GET", "http://x/a?b=1") == "http://x/a?b=1"


def test_each_page_of_a_posted_list_is_a_url_of_its_own():
    """TRS's /fjdzapp/search and ASP.NET's postbacks answer many pages at one URL."""
    one = fetch_key("POST", "http://x/fjdzapp/search", b"channelid=200210&page=1&prepage=10")
    two = fetch_key("POST", "http://x/fjdzapp/search", b"channelid=200210&page=2&prepage=10")
    assert one == "http://x/fjdzapp/search?__wb_method=post&channelid=200210&page=1&prepage=10" and one != two
    assert fetch_key("post", "http://x/p?x=1#top", b"a=b") == "http://x/p?x=1&__wb_method=post&a=b#top"


def test_a_long_body_is_keyed_by_its_digest():
    viewstate = b"__VIEWSTATE=" + b"A" * POST_KEY_BYTES
    key = fetch_key("POST", "http://x/list.aspx", viewstate)
    assert len(key) < 120 and "__wb_post_sha256=" in key
    assert key != fetch_key("POST", "http://x/list.aspx", viewstate + b"&__EVENTARGUMENT=2")
