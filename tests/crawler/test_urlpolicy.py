"""The URL policy judged on literal URLs and addresses, without connecting anywhere; the seeds file read
row by row (GBK, rows without a scheme or with file://, missing files)."""

from __future__ import annotations

import ipaddress

import pytest

from crawler.seeds import SeedsError, read_rows, read_seeds
from crawler.urlpolicy import AllowList, address_class, check_address, check_url


@pytest.mark.parametrize(
    "ip, why",
    [
        ("169.254.169.254", "link-local"),  # cloud metadata
        ("10.0.0.1", "private"),
        ("172.16.5.4", "private"),
        ("192.168.1.1", "private"),
        ("127.0.0.1", "loopback"),
        ("127.9.9.9", "loopback"),
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "not global"),  # carrier-grade NAT
        ("::1", "loopback"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("::ffff:10.0.0.1", "private"),  # IPv4-mapped: judged by the IPv4 address it carries
        ("::ffff:127.0.0.1", "loopback"),
        ("2002:a00:1::", "private"),  # 6to4 of 10.0.0.1
        ("8.8.8.8", None),
        ("202.96.134.133", None),
        ("2400:3200::1", None),
    ],
)
def test_address_classes(ip, why):
    assert address_class(ipaddress.ip_address(ip)) == why


@pytest.mark.parametrize(
    "url, reason",
    [
        ("file:///etc/passwd", "scheme"),
        ("FILE:///etc/passwd", "scheme"),
        ("ftp://ftp.example.gov.cn/a.pdf", "scheme"),
        ("s3://bucket/key", "scheme"),
        ("data:text/html,hi", "scheme"),
        ("gopher://example.gov.cn/", "scheme"),
        ("http:///nohost", "host"),
        ("http://169.254.169.254/latest/meta-data/", "address"),
        ("http://[::1]:8080/", "address"),
        ("http://[::ffff:192.168.0.1]/", "address"),
        ("https://10.1.2.3/report.pdf", "address"),
        ("http://127.0.0.2:9000/", "address"),
        ("http://0x7f000001/", None),  # not a literal address: a name, judged after resolution
        ("http://www.example.gov.cn/zwgk/", None),
        ("https://202.96.134.133/a.html", None),
    ],
)
def test_urls_without_exceptions(url, reason):
    refusal = check_url(url, AllowList())
    assert (refusal.reason if refusal else None) == reason


def test_allowed_hosts_entries():
    allow = AllowList.parse("127.0.0.64/26, portal.test:8080, 127.0.0.5 ,localhost")
    assert check_url("http://127.0.0.70:1234/", allow) is None  # CIDR, any port
    assert check_url("http://127.0.0.5:9/", allow) is None  # an address without port
    assert check_url("http://portal.test:8080/a", allow) is None
    assert check_url("http://portal.test:9090/a", allow).reason == "port"  # type: ignore[union-attr]
    assert check_url("http://127.0.0.2:1234/", allow).reason == "address"  # type: ignore[union-attr]
    assert check_url("file:///etc/passwd", allow).reason == "scheme"  # type: ignore[union-attr]
    # after resolution: a name the list names, an address in a network
    assert check_address("localhost", ipaddress.ip_address("127.0.0.1"), allow) is None
    assert check_address("evil.test", ipaddress.ip_address("127.0.0.70"), allow) is None
    assert check_address("evil.test", ipaddress.ip_address("127.0.0.1"), allow).reason == "address"  # type: ignore[union-attr]
    assert AllowList.parse("") == AllowList()
    with pytest.raises(ValueError):
        AllowList.parse("portal.test:notaport")
    with pytest.raises(ValueError):
        AllowList.parse("10.0.0.0/33")


def test_only_the_allowed_hosts_when_a_crawl_must_stay_on_them():
    """OGI_ONLY_ALLOWED_HOSTS (the farm profile): a public host is refused too, a name before it is resolved;
    an internal address keeps its own reason."""
    from dataclasses import replace

    allow = replace(AllowList.parse("127.0.0.64/26"), only=True)
    assert check_url("http://127.0.0.70:1234/", allow) is None
    assert check_url("http://www.gov.cn/", allow).reason == "outside"  # type: ignore[union-attr]
    assert check_url("http://8.8.8.8/", allow).reason == "outside"  # type: ignore[union-attr]
    assert check_url("http://127.0.0.2/", allow).reason == "address"  # type: ignore[union-attr]
    assert check_address("www.gov.cn", ipaddress.ip_address("8.8.8.8"), allow).reason == "outside"  # type: ignore[union-attr]
    public = AllowList.parse("127.0.0.64/26")
    assert check_url("http://www.gov.cn/", public) is None and check_url("http://8.8.8.8/", public) is None


def _seeds(tmp_path, rows: list[str], encoding: str = "utf-8"):
    path = tmp_path / "seeds.csv"
    text = "adcode,province,prefecture,county,level,portal_url,reports_url,cms\n" + "\n".join(rows) + "\n"
    path.write_bytes(text.encode(encoding))
    return path


def test_bad_seed_rows_are_reported_and_the_rest_kept(tmp_path):
    path = _seeds(
        tmp_path,
        [
            "130532,河北省,邢台市,平乡县,county,http://www.pingxiang.gov.cn/,,",
            "130533,河北省,邢台市,威县,county,www.weixian.gov.cn,,",  # no scheme
            "130534,河北省,邢台市,清河县,county,file:///etc/passwd,,",
            "130535,河北省,邢台市,临西县,county,http://10.0.0.1/,,",
            "130536,河北省,邢台市,南宫市,county,,,",
            "130537,河北省,邢台市,沙河市,county,,https://www.shahe.gov.cn/nb/,",
        ],
    )
    found = read_seeds(path)
    assert [s.adcode for s in found.seeds] == ["130532", "130537"]
    assert [line for line, _ in found.invalid] == [3, 4, 5]
    assert "refused (scheme)" in found.invalid[1][1] and "refused (address)" in found.invalid[2][1]
    assert found.without_url == 1
    assert [s.adcode for s in read_seeds(path, only={"130537", "130533"}).seeds] == ["130537"]


def test_gbk_seeds_file_is_read(tmp_path):
    path = _seeds(tmp_path, ["130532,河北省,邢台市,平乡县,county,http://www.pingxiang.gov.cn/,,"], "gbk")
    found = read_seeds(path)
    assert found.encoding == "gb18030" and [s.adcode for s in found.seeds] == ["130532"]
    assert read_rows(path)[0][0]["county"] == "平乡县"


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "cannot read"),
        (b"\x00\x01\x02\xff\xfe" * 100, "neither UTF-8 nor GBK"),
        (b"code,url\n1,http://a.gov.cn/\n", "no adcode, portal_url column"),
    ],
)
def test_unreadable_seeds_files(tmp_path, content, message):
    path = tmp_path / "seeds.csv"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(SeedsError, match=message):
        read_seeds(path)
