"""Screenshots of /stats/, a tag page and a week page, desktop and phone width, light and dark.

    .venv/bin/python scripts/screenshots.py SITE_DIR [OUT_DIR]

SITE_DIR is a built site (`sitegen build --no-search --out SITE_DIR`); it is
served on a free local port while Debian's headless Chromium takes the shots.
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

WIDTHS = {"desktop": 1100, "phone": 390}


def pages_of(site: Path) -> dict[str, str]:
    week = sorted(p.name for p in (site / "weeks").iterdir() if p.is_dir())[-1]
    tags = sorted(p for p in (site / "tags").iterdir() if p.is_dir())
    tag = max(tags, key=lambda p: (p / "index.html").stat().st_size).name  # the fullest tag page
    return {"stats": "/stats/", "tag": f"/tags/{tag}/", "week": f"/weeks/{week}/"}


def main(site: Path, out: Path) -> None:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True)
        for name, path in pages_of(site).items():
            for scheme in ("light", "dark"):
                for device, width in WIDTHS.items():
                    page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)
                    page.goto(f"http://127.0.0.1:{server.server_port}{path}")
                    page.screenshot(path=str(out / f"{name}-{device}-{scheme}.png"), full_page=False)
                    page.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2] if len(sys.argv) > 2 else "docs/screenshots"))
