"""The library internals write/render.py and write/cards.py rely on for speed are still there.

render.py's have a fallback to the public API, so a newer library does not
break the site; it would only make rendering slower without anyone noticing.
cards.py's (a glyph mask read as an array) has none: its test compares it with
what the public ImageDraw draws. When one fails, re-measure with the new
version, then move the pin in pyproject.toml (or drop the shortcut).
"""

from __future__ import annotations

from pathlib import Path

import jinja2
import markupsafe

from sitegen.write import render

SHORTCUT_GONE = "the shortcut in sitegen/write/render.py no longer applies: re-measure rendering and move the pin"


def test_markupsafe_still_has_its_private_str_escape():
    assert render._escape_str is not None, f"markupsafe {markupsafe.__version__}: _escape_inner is gone; {SHORTCUT_GONE}"
    text = '<a href="x">Tom & Jerry\'s</a>'
    assert render._escape_str(text) == str(markupsafe.escape(text))


def test_jinjas_compiled_templates_still_escape_output_through_the_name_escape(tmp_path: Path):
    env = render.make_environment(tmp_path)
    template = env.from_string("{{ value }}")
    assert template.root_render_func.__globals__.get("escape") is render.escape_output, (
        f"jinja2 {jinja2.__version__}: compiled templates no longer call markupsafe's escape by that name; {SHORTCUT_GONE}")
    assert template.render(value="<b>") == "&lt;b&gt;"


def test_the_fallbacks_give_the_same_output(tmp_path: Path, monkeypatch):
    """Without either shortcut a page is the same bytes: only slower."""
    (tmp_path / "page.html").write_text("<p>{{ value }} {{ number }}</p>", encoding="utf-8")
    fast = render.make_environment(tmp_path).get_template("page.html").render(value="<Tom & 'Jerry'>", number=3)
    monkeypatch.setattr(render, "_escape_str", None)
    monkeypatch.setattr(render.OutputTemplate, "from_code", classmethod(
        lambda cls, environment, code, globals, uptodate=None: jinja2.Template.from_code.__func__(
            cls, environment, code, globals, uptodate)))
    slow_env = render.make_environment(tmp_path)
    slow = slow_env.get_template("page.html")
    assert slow.root_render_func.__globals__["escape"] is markupsafe.escape
    assert slow.render(value="<Tom & 'Jerry'>", number=3) == fast == "<p>&lt;Tom &amp; &#39;Jerry&#39;&gt; 3</p>"


def test_a_cards_text_mask_is_the_coverage_imagedraw_draws():
    """write/cards.py wraps Pillow's glyph mask with Image.Image()._new, as ImageFont does."""
    import numpy as np
    from PIL import Image, ImageDraw

    from sitegen.write.cards import font, text_mask

    face = font(46, bold=True)
    text = "Δ-learning “quoted” → x ≤ y, Café"
    coverage, (dx, dy) = text_mask(text, face)
    drawn = Image.new("L", (1200, 200))
    ImageDraw.Draw(drawn).text((20, 30), text, font=face, fill=255)
    expected = np.asarray(drawn)[30 + dy:30 + dy + coverage.shape[0], 20 + dx:20 + dx + coverage.shape[1]]
    assert coverage.any() and np.array_equal(coverage, expected), "Pillow's mask changed: re-check write/cards.py's text_mask"
    assert np.asarray(drawn).sum() == coverage.sum()  # nothing drawn outside the mask's box
