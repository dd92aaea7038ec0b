"""The production site's security headers, for the preview too (issue 15, item 13).

The preview sends the headers that netlify.toml gives every response (its
`[[headers]]` rule `for = "/*"`: the Content-Security-Policy and the rest),
read from the file when `sitegen serve` starts rather than copied here, so a
page that the production CSP breaks (an inline script a curator allowed, an
image from another host) breaks in the preview as well, and an edit to
netlify.toml reaches the preview on its next start.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

Headers = tuple[tuple[str, str], ...]
EVERY_PATH = "/*"


def production_headers(netlify_toml: Path) -> tuple[Headers, str | None]:
    """The headers netlify.toml sets on every path, and a note for the terminal when it cannot be read."""
    try:
        rules = tomllib.loads(netlify_toml.read_text(encoding="utf-8")).get("headers", [])
    except FileNotFoundError:
        return (), f"note: {netlify_toml} not found; the preview sends no Content-Security-Policy"
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return (), f"{netlify_toml}: warning: cannot read its headers ({error}); the preview sends none of them"
    found: dict[str, str] = {}
    for rule in rules if isinstance(rules, list) else []:
        if isinstance(rule, dict) and rule.get("for") == EVERY_PATH and isinstance(rule.get("values"), dict):
            found.update((str(name), str(value)) for name, value in rule["values"].items())
    return tuple(found.items()), None
