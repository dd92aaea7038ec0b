"""No broken internal link or missing #fragment target anywhere in the built site,
at the root and under a subfolder base URL; and the checker does catch breakage."""

from __future__ import annotations

import shutil
from pathlib import Path

from sitegen.check.linkcheck import check_site

from conftest import SITE_URL, SUBFOLDER_URL


def test_no_broken_links_at_the_root(shipped_site):
    assert check_site(shipped_site, SITE_URL) == []


def test_no_broken_links_under_a_subfolder(subfolder_site_build):
    assert check_site(subfolder_site_build, SUBFOLDER_URL) == []


def test_a_site_built_for_the_root_is_broken_under_a_subfolder(shipped_site):
    """The checker resolves links against the base URL: root links do not exist under /sub/."""
    problems = check_site(shipped_site, "http://127.0.0.1:8000/sub/")
    assert any("style." in problem.message for problem in problems)


def test_a_missing_page_and_a_missing_fragment_are_reported(shipped_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(shipped_site, site)
    shutil.rmtree(site / "about")
    home = site / "index.html"
    home.write_text(home.read_text().replace("</main>", '<a href="#no-such-id">x</a></main>'))
    messages = [f"{problem.file}: {problem.message}" for problem in check_site(site, SITE_URL)]
    assert any(message.startswith("index.html: broken link '/about/'") for message in messages), messages
    assert "index.html: broken link '#no-such-id': no element with id 'no-such-id'" in messages
    assert any(message.startswith("sitemap.xml: broken link 'http://127.0.0.1:8000/about/'") for message in messages)
