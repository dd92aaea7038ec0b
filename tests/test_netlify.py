"""netlify.toml: the deploy build, the caching and security headers, and the
site as a browser gets it with those headers.

The headers are checked against a real build with a real Pagefind index in
it; the browser test uses Debian's Chromium; the build command runs, as
Netlify runs it, in a clean clone with a fresh virtual environment.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from built_site import LATE_DATE_DUMP, build, html_pages, make_content, snapshot
from netlify_site import PROJECT, header_rules, load_netlify_toml, matching_headers, request_paths, serve

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, max-age=0, must-revalidate"
HASHED_STATIC = re.compile(r"^static/[\w-]+\.([0-9a-f]{10})\.(css|js)$")


def add_pagefind(out: Path) -> Path:
    """Index the built site with the real Pagefind, as the search build does."""
    result = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(out)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (out / "pagefind" / "pagefind-entry.json").is_file()
    return out


@pytest.fixture(scope="module")
def indexed_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("netlify")
    return add_pagefind(build(make_content(root), root / "public"))


def headers_of(out: Path, file: Path, rules) -> dict[str, str]:
    """The headers Netlify sends with `file` at the URL the site links to.

    No path that serves the file may get one header from two rules. (At
    folder/index.html, which nothing links to, a page may lack a Cache-Control
    rule; Netlify's default for it revalidates too.)"""
    served = []
    for path in request_paths(out, file):
        matched = matching_headers(path, rules)
        twice = {name: values for name, values in matched.items() if len(values) > 1}
        assert not twice, f"{path}: set by more than one rule: {twice}"
        served.append({name: values[0][1] for name, values in matched.items()})
    return served[0]


def test_netlify_toml_builds_strictly_into_public_with_each_deploy_s_own_url():
    config = load_netlify_toml()
    build_section = config["build"]
    assert build_section["publish"] == "public"
    assert build_section["environment"]["PYTHON_VERSION"] == "3.11"
    commands = {"production": build_section["command"],
                "deploy-preview": config["context"]["deploy-preview"]["command"],
                "branch-deploy": config["context"]["branch-deploy"]["command"]}
    for context, command in commands.items():
        assert "sitegen build --strict --out public" in command, context
        variable = "URL" if context == "production" else "DEPLOY_PRIME_URL"
        assert f'--base-url "${variable}"' in command, context


def test_every_file_gets_one_cache_policy_and_the_security_headers(indexed_site):
    out, rules = indexed_site, header_rules()
    immutable, revalidated = set(), set()
    for file in sorted(p for p in out.rglob("*") if p.is_file() and p.name != ".sitegen-output"):
        name = file.relative_to(out).as_posix()
        headers = headers_of(out, file, rules)
        csp = headers["content-security-policy"]
        assert "script-src 'self' 'wasm-unsafe-eval'" in csp and "frame-ancestors 'none'" in csp
        assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp.replace("'wasm-unsafe-eval'", "")
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
        cache = headers.get("cache-control")
        assert cache in (IMMUTABLE, REVALIDATE), f"{name}: {cache}"
        (immutable if cache == IMMUTABLE else revalidated).add(name)
        if name.endswith((".html", ".xml", ".json", ".txt")):
            assert cache == REVALIDATE, name
        if name.startswith("static/") and cache == IMMUTABLE:
            match = HASHED_STATIC.match(name)
            assert match and hashlib.sha256(file.read_bytes()).hexdigest()[:10] == match.group(1), name
    assert {n for n in immutable if n.startswith("static/")} == {n for n in immutable if HASHED_STATIC.match(n)} != set()
    assert {"static/favicon.svg", "pagefind/pagefind-entry.json", "pagefind/pagefind.js", "pagefind/pagefind-ui.js",
            "pagefind/pagefind-ui.css", "pagefind/wasm.en.pagefind", "index.html", "feed.xml"} <= revalidated
    for kind in ("pagefind/fragment/", "pagefind/index/"):
        assert any(n.startswith(kind) for n in immutable) and not any(n.startswith(kind) for n in revalidated)
    assert any(n.endswith(".pf_meta") for n in immutable)


def test_an_immutable_url_never_serves_two_different_files(tmp_path, indexed_site):
    """What is cached for a year must be content-addressed: another build with other
    content may reuse a name only for the very same bytes."""
    content = make_content(tmp_path, hostile=False)
    (content / "listings" / "2025-11-13-late.txt").write_text(LATE_DATE_DUMP, encoding="utf-8")
    other = add_pagefind(build(content, tmp_path / "public"))
    rules = header_rules()
    first, second = snapshot(indexed_site), snapshot(other)
    shared = [name for name in first.keys() & second.keys()
              if headers_of(other, other / name, rules).get("cache-control") == IMMUTABLE]
    assert shared, "the builds share some hashed files"
    assert [name for name in shared if first[name] != second[name]] == []
    assert first.keys() != second.keys(), "changed content got new hashed names"


def test_the_site_works_in_a_browser_under_the_security_policy(indexed_site, browser):
    with serve(indexed_site) as base:
        page = browser.new_page()
        try:
            problems: list[str] = []
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.add_init_script("window.__violations = [];"
                                 "document.addEventListener('securitypolicyviolation',"
                                 " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));")
            paper_url = next(u for u in html_pages(indexed_site, base) if u.startswith(base + "papers/"))
            for url in (base, paper_url, base + "search/"):
                response = page.goto(url)
                assert response.status == 200
                assert "wasm-unsafe-eval" in response.headers["content-security-policy"]
                assert page.evaluate("getComputedStyle(document.body).marginTop") == "0px", "stylesheet applied"
                assert page.evaluate("window.__violations") == [], url

            # Pagefind's WebAssembly starts under the policy and finds papers.
            hits = page.evaluate("""async () => {
                const pagefind = await import('/pagefind/pagefind.js');
                const search = await pagefind.search('language models');
                const first = await search.results[0].data();
                return [search.results.length, first.url];
            }""")
            assert hits[0] > 10 and hits[1].startswith("/papers/")
            assert page.evaluate("window.__violations") == []
            assert problems == []

            # The policy is really in force: an inline script is refused.
            page.evaluate("""() => { const s = document.createElement('script');
                                     s.textContent = 'window.__inline = 1'; document.body.append(s); }""")
            page.wait_for_function("window.__violations.length > 0")
            assert page.evaluate("window.__inline") is None
            assert page.evaluate("window.__violations")[0].startswith("script-src")

            missing = page.goto(base + "no/such/page/")
            assert missing.status == 404 and page.locator("h1").inner_text() == "Page not found"
            assert page.evaluate("getComputedStyle(document.body).marginTop") == "0px"
        finally:
            page.context.close()


def run_deploy_command(command: str, clone: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    environment.update(env)
    return subprocess.run(["bash", "-c", command], cwd=clone, env=environment, capture_output=True, text=True,
                          timeout=900)


def canonical_of(page: Path) -> str:
    return re.search(r'<link rel="canonical" href="([^"]+)">', page.read_text(encoding="utf-8")).group(1)


@pytest.mark.slow
def test_the_netlify_build_command_builds_the_site_from_a_clean_clone(tmp_path):
    """What Netlify runs, from what is committed (HEAD), in a fresh virtual environment."""
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=PROJECT, capture_output=True, text=True, check=True)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", "--no-checkout", str(PROJECT), str(clone)], check=True)
    subprocess.run(["git", "checkout", "--quiet", head.stdout.strip()], cwd=clone, check=True)
    assert not (clone / ".venv").exists() and not (clone / "public").exists()
    config = tomllib.loads((clone / "netlify.toml").read_text(encoding="utf-8"))
    public = clone / config["build"]["publish"]

    production = run_deploy_command(config["build"]["command"], clone, URL="https://example.netlify.app",
                                    DEPLOY_PRIME_URL="https://main--example.netlify.app", CONTEXT="production")
    assert production.returncode == 0, production.stdout + production.stderr
    assert "0 warning(s)" in production.stderr
    assert canonical_of(public / "index.html") == "https://example.netlify.app/"
    pages = html_pages(public, "https://example.netlify.app/")
    assert len(pages) > 700 and all(p.canonical.startswith("https://example.netlify.app/") for p in pages.values())
    assert "Sitemap: https://example.netlify.app/sitemap.xml" in (public / "robots.txt").read_text()

    preview = run_deploy_command(config["context"]["deploy-preview"]["command"], clone,
                                 URL="https://example.netlify.app",
                                 DEPLOY_PRIME_URL="https://deploy-preview-42--example.netlify.app",
                                 CONTEXT="deploy-preview")
    assert preview.returncode == 0, preview.stderr
    assert canonical_of(public / "index.html") == "https://deploy-preview-42--example.netlify.app/"

    # A listing with a warning fails the deploy and leaves the last good output alone.
    before = snapshot(public)
    (clone / "content" / "listings" / "2025-11-13-late.txt").write_text(LATE_DATE_DUMP, encoding="utf-8")
    failed = run_deploy_command(config["context"]["branch-deploy"]["command"], clone,
                                URL="https://example.netlify.app",
                                DEPLOY_PRIME_URL="https://feature--example.netlify.app", CONTEXT="branch-deploy")
    assert failed.returncode != 0 and "warning: date 'Nov 14, 2025 3'" in failed.stderr
    assert snapshot(public) == before
    shutil.rmtree(clone / ".venv")
