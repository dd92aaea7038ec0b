"""Every HTML page of the built shipped site passes the Nu Html Checker (vnu) with
no errors; the feeds and the sitemap are well-formed XML."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ElementTree

from sitegen.build import BuildOptions, build

from hostile import write_hostile_content
from checkers import VNU_JAR, tool


def vnu_errors(paths: list) -> list[str]:
    run = subprocess.run(["java", "-jar", str(tool(VNU_JAR)), "--errors-only", "--format", "gnu", *map(str, paths)],
                         capture_output=True, text=True, timeout=600)
    return [line for line in run.stderr.splitlines() + run.stdout.splitlines() if line.strip()]


def test_every_page_is_valid_html(shipped_site):
    pages = sorted(shipped_site.rglob("*.html"))
    assert len(pages) > 700  # every page of the site, not a sample
    assert vnu_errors(pages) == []


def test_the_checker_reports_invalid_html(tmp_path):
    page = tmp_path / "bad.html"
    page.write_text('<!doctype html><html lang="en"><title>t</title><p><a href="https://x.org/a{b">x</a><div></span>')
    errors = vnu_errors([page])
    assert any("Illegal character" in error for error in errors), errors
    assert any("span" in error for error in errors), errors


def test_feeds_and_sitemap_are_well_formed_xml(shipped_site):
    documents = sorted(shipped_site.rglob("*.xml"))
    assert shipped_site / "sitemap.xml" in documents and shipped_site / "feed.xml" in documents
    for document in documents:
        ElementTree.parse(document)  # raises on any well-formedness error


def test_pages_of_hostile_listings_are_valid_html(tmp_path):
    """Escaped markup, odd URLs and entities in listing text still make valid pages."""
    out = tmp_path / "public"
    build(BuildOptions(content_dir=write_hostile_content(tmp_path), out_dir=out, search=False))
    assert vnu_errors(sorted(out.rglob("*.html"))) == []
