"""What the preview server adds to the HTML it serves, and nothing else does.

Built files never contain any of this: `sitegen serve` adds it to each HTML
response on the way out. A small script listens to the server's event stream
and reloads the page after each good build. While the last build failed, the
page also carries an overlay with the diagnostics (escaped text) on top of
the last good version of the page; the script keeps it up to date.

The script is a separate same-origin file and the overlay is styled from it,
so a strict Content-Security-Policy on the site does not break the preview.
"""

from __future__ import annotations

import json
from html import escape

PREFIX = "/__sitegen/"  # no page of the site lives here (plan/urls.py makes no such URL)
EVENTS_URL = PREFIX + "events"
SCRIPT_URL = PREFIX + "reload.js"
OVERLAY_ID = "sitegen-error"
OVERLAY_HEADING = "Build failed; showing the last good site until the next good build."

RELOAD_JS = """\
// Added by `sitegen serve` to the pages it serves (never to built files):
// reloads the page after each good build and shows the errors of a failed one.
(() => {
  const script = document.currentScript;
  const epoch = script.dataset.epoch;
  const look = "position:fixed;top:0;left:0;right:0;z-index:2147483647;max-height:60vh;overflow:auto;" +
    "margin:0;padding:12px 16px;background:#3b0d0d;color:#ffe3e3;border-bottom:3px solid #ff6b6b;" +
    "font:13px/1.5 ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap;text-align:left";
  function show(errors) {
    let box = document.getElementById("%(id)s");
    if (!errors.length) {
      if (box) box.remove();
      return;
    }
    if (!box) {
      box = document.createElement("div");
      box.id = "%(id)s";
      box.setAttribute("role", "alert");
      document.body.prepend(box);
    }
    box.textContent = %(heading)s + "\\n\\n" + errors.join("\\n");
    box.style.cssText = look;
  }
  const box = document.getElementById("%(id)s");
  if (box) box.style.cssText = look;
  const events = new EventSource(script.dataset.events);
  for (const name of ["state", "reload", "error"]) {
    events.addEventListener(name, (event) => {
      const state = JSON.parse(event.data);
      if (state.epoch !== epoch) location.reload();  // a newer good build than this page
      else show(state.errors);
    });
  }
})();
""" % {"id": OVERLAY_ID, "heading": json.dumps(OVERLAY_HEADING)}

WAITING_PAGE = b"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>sitegen serve</title></head>
<body><p>The site has not been built yet. This page reloads when it has.</p></body></html>
"""


def overlay_html(errors: tuple[str, ...]) -> str:
    text = OVERLAY_HEADING + "\n\n" + "\n".join(errors)
    return f'<div id="{OVERLAY_ID}" role="alert">{escape(text)}</div>'


def inject(html: bytes, epoch: str, errors: tuple[str, ...]) -> bytes:
    """`html` with the reload script (and the overlay, if there are errors) before `</body>`."""
    addition = (overlay_html(errors) if errors else "") + (
        f'<script src="{SCRIPT_URL}" data-epoch="{escape(epoch)}" data-events="{EVENTS_URL}"></script>\n'
    )
    at = html.lower().rfind(b"</body>")
    if at < 0:
        return html + addition.encode("utf-8")
    return html[:at] + addition.encode("utf-8") + html[at:]
