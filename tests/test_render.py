"""Rendering planned pages with the site's Jinja environment (write/render.py).

These use small templates of their own, so each checks one promise of the
environment: text is escaped, a typo is an error naming the template and
line, and the parallel render hands every page to the sink exactly once.
"""

from __future__ import annotations

import gc
import os
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup, escape

from sitegen.core.diagnostics import BuildError
from sitegen.plan.outputs import PlannedFile
from sitegen.plan.planner import PlannedPage
from sitegen.plan.markup import Linkified
from sitegen.write.render import escape_output, make_environment, render_all, render_page
from sitegen.plan.views import Chrome, Link, Meta

CHROME = Chrome(site_title="Archive", language="en", home_url="/", nav=(Link("/days/", "Days"),), search_url="/search/",
                css_url="/static/style.css", js_url="/static/site.js", favicon_url="/static/favicon.svg",
                feed_url="/feed.xml", data_url="/papers.json", base_url="https://example.org/")


@pytest.fixture(autouse=True)
def unfreeze():
    yield
    gc.unfreeze()  # render_all freezes the heap before forking, as a build does


def environment(tmp_path: Path, **templates: str):
    for name, text in templates.items():
        (tmp_path / f"{name}.html").write_text(text, encoding="utf-8")
    (tmp_path / "_macros.html").write_text("{% macro paper_card(card) %}[{{ card }}]{% endmacro %}", encoding="utf-8")
    return make_environment(tmp_path)


def page(number: int, template: str = "page.html", view: object = "") -> PlannedPage:
    return PlannedPage(url=f"/p/{number}/", output_path=f"p/{number}/index.html", template=template,
                       meta=Meta(title=f"Page {number}", heading=f"Page {number}", description="", canonical=""),
                       view=view, source=f"page {number}")


def test_text_from_listings_is_escaped(tmp_path):
    env = environment(tmp_path, page="<h1>{{ view }}</h1>{{ paper_card(view) }}")
    html = render_page(env, page(1, view='<script>alert("x")</script>'), CHROME).decode()
    assert "<script>" not in html
    assert html.count("&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") == 2


def test_an_unknown_name_is_an_error_naming_the_template_and_line(tmp_path):
    env = environment(tmp_path, page="<h1>{{ meta.title }}</h1>\n<p>{{ view.missing }}</p>")
    with pytest.raises(BuildError) as failure:
        render_page(env, page(1, view=Link("/", "home")), CHROME)
    (diagnostic,) = failure.value.diagnostics
    assert str(diagnostic).startswith(f"{tmp_path / 'page.html'}:2: error: UndefinedError")
    assert "(rendering /p/1/)" in str(diagnostic)


def test_every_page_reaches_the_sink_once_with_its_own_bytes(tmp_path):
    env = environment(tmp_path, page="{{ meta.title }}|{{ paper_card(view) }}")
    pages = [page(n, view=n % 7) for n in range(2000)]  # above the parallel threshold
    written: dict[str, bytes] = {}

    def sink(path: str, data: bytes) -> None:  # in a forked worker, a file is how a result gets out
        (tmp_path / "out" / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "out" / path).write_bytes(data)

    render_all(env, pages, CHROME, sink, workers=2)
    for path in (tmp_path / "out").rglob("index.html"):
        written[path.relative_to(tmp_path / "out").as_posix()] = path.read_bytes()
    assert written == {f"p/{n}/index.html": f"Page {n}|[{n % 7}]".encode() for n in range(2000)}


def test_each_batch_comes_from_one_process(tmp_path):
    """List pages and exports reuse the cards and records one process has made: a batch stays together."""
    env = environment(tmp_path, page="{{ meta.title }}")
    pages = [page(n) for n in range(3000)]
    batches = [pages[0::6], pages[3::6]]
    dealt = [p for n, p in enumerate(pages) if n % 3]

    def sink(path: str, data: bytes) -> None:  # which process made each file
        (tmp_path / "out" / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "out" / path).write_text(f"{data.decode()}|{os.getpid()}")

    render_all(env, dealt, CHROME, sink, workers=2, batches=batches)
    made = {path.parent.name: path.read_text().split("|") for path in (tmp_path / "out").rglob("index.html")}
    assert {name: text for name, (text, _) in made.items()} == {str(n): f"Page {n}" for n in range(3000)}
    assert len({made[str(n)][1] for n in range(0, 3000, 6)}) == 1
    assert len({made[str(n)][1] for n in range(3, 3000, 6)}) == 1


def test_two_batches_are_made_side_by_side(tmp_path):
    """A warm build's whole-archive files (the JSON export, the BibTeX) go to both processes at once:
    the first batch's file waits until the second's is written, which one process alone never would."""
    env = environment(tmp_path, page="{{ meta.title }}")
    second = tmp_path / "out" / "second.txt"

    def after_the_second() -> bytes:
        deadline = time.monotonic() + 30
        while not second.exists():
            if time.monotonic() > deadline:
                raise TimeoutError("the second batch was not made meanwhile")
            time.sleep(0.01)
        return b"first"

    first = PlannedFile("/first.txt", "first.txt", after_the_second, "first")
    other = PlannedFile("/second.txt", "second.txt", lambda: b"second", "second")

    def sink(path: str, data: bytes) -> None:
        (tmp_path / "out" / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "out" / (path + ".part")).write_bytes(data)
        (tmp_path / "out" / (path + ".part")).rename(tmp_path / "out" / path)

    render_all(env, [page(n) for n in range(2000)], CHROME, sink, workers=2, batches=[[first], [other]])
    assert (tmp_path / "out" / "first.txt").read_bytes() == b"first"
    assert second.read_bytes() == b"second"


def test_a_kept_environment_forgets_cards_no_render_has_used_since_the_last(tmp_path):
    # `sitegen serve` renders every rebuild with one environment, and each edit
    # brings new cards: those of papers edited away must not pile up.
    env = environment(tmp_path, page="{{ paper_card(view) }}")
    written: dict[str, bytes] = {}
    for edit in range(5):
        views = ["kept", *(f"edit{edit}-{n}" for n in range(10))]
        render_all(env, [page(n, view=v) for n, v in enumerate(views)], CHROME, written.__setitem__, workers=1)
        assert written["p/0/index.html"] == b"[kept]" and written["p/10/index.html"] == f"[edit{edit}-9]".encode()
    card = env.globals["paper_card"]
    remembered = {args[0] for args, _ in [*card.results, *card.earlier]}
    assert remembered == {"kept", *(f"edit{edit}-{n}" for edit in (3, 4) for n in range(10))}


def test_a_template_error_in_a_worker_is_one_diagnostic_here(tmp_path):
    env = environment(tmp_path, page="{{ view }}", broken="{{ view.nothing }}")
    pages = [page(n, template="broken.html" if n == 1501 else "page.html", view=n) for n in range(2000)]
    with pytest.raises(BuildError) as failure:
        render_all(env, pages, CHROME, lambda path, data: None, workers=2)
    assert [str(d).split(": error: ")[0] for d in failure.value.diagnostics] == [f"{tmp_path / 'broken.html'}:1"]


@given(st.one_of(st.text(), st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False),
                 st.text().map(Markup), st.text().map(Linkified)))
def test_output_is_escaped_exactly_as_markupsafe_escapes_it(value):
    """Templates escape through escape_output, a quicker way to markupsafe.escape's text."""
    assert escape_output(value) == str(escape(value))
