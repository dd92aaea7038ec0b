"""Shared fixtures: the shipped content, built once per test session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from sitegen.build import BuildOptions, build

REPO = Path(__file__).resolve().parent.parent
SHIPPED_CONTENT = REPO / "content"
# Property tests check what is true, not how fast: a busy CI machine (or the first call's
# lazy imports) must not fail them on hypothesis's 200 ms deadline.
settings.register_profile("sitegen", deadline=None)
settings.load_profile("sitegen")

CHROMIUM = "/usr/bin/chromium"  # Debian's, never a downloaded one
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory) -> Path:
    """The shipped content built into a temp folder at the default base URL (root)."""
    out = tmp_path_factory.mktemp("shipped") / "public"
    build(BuildOptions(content_dir=SHIPPED_CONTENT, out_dir=out, strict=True))
    return out

SITE_URL = "http://127.0.0.1:8000/"  # the shipped site.toml's base_url
SUBFOLDER_URL = "https://archive.example.org/papers-archive/"


@pytest.fixture(scope="session")
def subfolder_site_build(tmp_path_factory) -> Path:
    """The shipped content built for a base URL with a path, as a project page on a shared host."""
    out = tmp_path_factory.mktemp("shipped-subfolder") / "public"
    build(BuildOptions(content_dir=SHIPPED_CONTENT, out_dir=out, base_url=SUBFOLDER_URL, strict=True))
    return out


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """One headless Chromium per pytest process: Playwright's sync API allows one
    driver per thread, so every test module shares this one and opens its own contexts."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
