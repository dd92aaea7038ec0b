"""Every internal link of a built site leads to a built file, at a domain root and under a subfolder."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest

from built_site import build, file_for, html_pages, make_content

A = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module", params=["https://example.org/", "https://example.org/sub/archive/"])
def built(request, tmp_path_factory):
    root = tmp_path_factory.mktemp("urls")
    return request.param, build(make_content(root), root / "out", "--base-url", request.param)


def test_every_internal_link_resolves_to_a_built_file(built):
    base_url, out = built
    pages = html_pages(out, base_url)
    origin = "https://example.org"
    checked = 0
    for url, page in pages.items():
        assert page.canonical == url or url.endswith("404.html"), url
        assert page.meta["og:url"] == page.canonical
        social = ("og:site_name", "og:title", "og:description", "og:type", "twitter:card", "twitter:title",
                  "twitter:description")
        assert all(page.meta.get(name) for name in social), url
        assert urlsplit(page.canonical).scheme == "https"
        for tag, attribute, value in page.links:
            target = page.resolve(value)
            if not target.startswith(origin):
                continue  # a link out of the site (a URL quoted in an abstract)
            assert target.startswith(base_url), f"{url}: {tag} {attribute}={value!r} leaves the site's folder"
            assert file_for(out, base_url, target), f"{url}: {tag} {attribute}={value!r} leads nowhere"
            fragment = urlsplit(target).fragment
            if fragment:
                assert fragment in pages[target.split("#")[0]].ids, f"{url}: no #{fragment} in {target}"
            checked += 1
    assert checked > 10_000


def test_the_404_page_links_work_from_any_address(built):
    """The host serves 404.html at whatever path was asked for, so its links cannot be relative."""
    base_url, out = built
    page = html_pages(out, base_url)[base_url + "404.html"]
    # No robots noindex: the host answers it with status 404, which search engines never index,
    # and Lighthouse's SEO audit marks a noindex page as not crawlable (issue 22).
    assert "robots" not in page.meta
    for _, _, value in page.links:
        assert value.startswith((urlsplit(base_url).path, "https://", "#")), value


def test_feeds_and_sitemap_use_absolute_urls_of_the_base_url(built):
    base_url, out = built
    feed = ET.parse(out / "feed.xml").getroot()
    hrefs = [link.get("href") for link in feed.iter(A + "link")] + [e.text for e in feed.iter(A + "id")]
    sitemap = ET.parse(out / "sitemap.xml").getroot()
    locations = [e.text for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    for url in hrefs + locations:
        assert url.startswith(base_url) and file_for(out, base_url, url), url
