"""Planned pages -> bytes, through Jinja templates compiled once per build.

Autoescape is on for every template (listing text is data) and undefined
names fail loudly (`StrictUndefined`), so a typo in a template is an error,
not an empty string on the page.

A paper's card appears on its day, tag, organisation and listing pages and
among other papers' related papers: the card macros of `_macros.html` are
given to templates as globals that render each distinct card once per
process and reuse the result (a macro's output depends on its arguments only).
A page of fifty cards asks for them in one call, `paper_card.each(cards)`:
Jinja's call machinery cost more than rendering a remembered card.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import markupsafe
from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template, TemplateError

from sitegen.core.diagnostics import BuildError, Diagnostic, Severity
from sitegen.speed.forked import Dealer, WorkerDied, core_count, forked_map
from sitegen.plan.outputs import PlannedFile
from sitegen.plan.planner import PlannedPage
from sitegen.plan.views import Chrome

# Below this many pages a second process costs more than it saves.
PARALLEL_THRESHOLD = 1500
CHUNK = 50  # pages dealt at a time: the processes end within a chunk of each other
# Macros of _macros.html that pages call with repeated arguments.
MEMOISED_MACROS = ("paper_card", "masthead")


class MemoisedMacro:
    """A macro of `_macros.html`, looked up when first called (so a template
    error surfaces while rendering a page, with its file and line) and
    remembered by arguments. Arguments are frozen view structs and strings.

    `sitegen serve` keeps one environment across rebuilds, and every edit
    brings new cards: a result is kept for the render that made or used it and
    the next one (`next_render`), so memory stays that of two renders."""

    def __init__(self, env: Environment, name: str):
        self.env, self.name = env, name
        self.macro = None
        self.results: dict = {}
        self.earlier: dict = {}  # what the render before this one used

    def next_render(self) -> None:
        self.earlier, self.results = self.results, {}

    def __call__(self, *args, **kwargs):
        key = (args, tuple(kwargs.items()))
        result = self.results.get(key)
        if result is None:
            result = self.earlier.get(key)
            if result is None:
                if self.macro is None:
                    self.macro = getattr(self.env.get_template("_macros.html").module, self.name)
                result = self.macro(*args, **kwargs)
            self.results[key] = result
        return result

    def each(self, items: Iterable, **kwargs) -> markupsafe.Markup:
        """The macro's output for each item in turn, as one piece of HTML."""
        return markupsafe.Markup("".join([self(item, **kwargs) for item in items]))


# markupsafe's own C escaping of a str, without the Markup wrapper around it: a private name,
# measured with markupsafe 3.0 (the range pinned in pyproject.toml). Without it, the public
# `markupsafe.escape` does the same work; tests/test_pinned_internals.py fails loudly when it goes.
_escape_str = getattr(markupsafe, "_escape_inner", None)


def escape_output(value) -> str:
    """What `{{ value }}` writes under autoescape: exactly markupsafe.escape's text.

    A template's output is joined into one str, so wrapping each escaped
    value in a Markup object first, as `escape` does, is wasted: on a paper
    page that wrapping was a fifth of the rendering time.
    """
    kind = type(value)
    if kind is str and _escape_str is not None:
        return _escape_str(value)
    if kind is markupsafe.Markup:  # a macro's output: safe already
        return value
    if kind is int:  # an upvote count: digits need no escaping
        return str(value)
    return markupsafe.escape(value)


class OutputTemplate(Template):
    """A template whose compiled code escapes output with `escape_output`.

    Jinja's compiled templates call the name `escape` only to escape output
    (compiler.py's _output_child_pre); constants are escaped at compile time.
    That is Jinja 3.1's compiled code (the range pinned in pyproject.toml):
    where a compiled template does not hold markupsafe's `escape` under that
    name, it is left as Jinja made it (tests/test_pinned_internals.py fails loudly).
    """

    @classmethod
    def from_code(cls, environment, code, globals, uptodate=None):
        template = super().from_code(environment, code, globals, uptodate)
        namespace = getattr(template.root_render_func, "__globals__", {})
        if namespace.get("escape") is markupsafe.escape:
            namespace["escape"] = escape_output
        return template


def make_environment(templates_dir: Path) -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates_dir),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        keep_trailing_newline=True,
    )
    env.template_class = OutputTemplate
    env.globals.update({name: MemoisedMacro(env, name) for name in MEMOISED_MACROS})
    return env


def render_page(env: Environment, page: PlannedPage, chrome: Chrome) -> bytes:
    try:
        template = env.get_template(page.template)
        return template.render(chrome=chrome, meta=page.meta, view=page.view).encode("utf-8")
    except TemplateError as exc:
        name, line = where_in_template(exc, env, page.template)
        raise BuildError([Diagnostic(name, line, Severity.ERROR, f"{type(exc).__name__}: {exc} (rendering {page.url})")]) from None


def where_in_template(exc: TemplateError, env: Environment, fallback: str) -> tuple[str, int]:
    """The template file and line an error comes from.

    A syntax error carries them; an error while rendering (an undefined name)
    does not, but Jinja rewrites the traceback so that its frames are the
    templates' own lines: the innermost one is where it went wrong.
    """
    if getattr(exc, "lineno", None):
        return getattr(exc, "filename", None) or fallback, exc.lineno
    folders = [Path(folder).resolve() for folder in getattr(env.loader, "searchpath", [])]
    found = (fallback, 0)
    traceback = exc.__traceback__
    while traceback is not None:
        filename = traceback.tb_frame.f_code.co_filename
        if any(Path(filename).resolve().is_relative_to(folder) for folder in folders):
            found = (filename, traceback.tb_lineno)
        traceback = traceback.tb_next
    return found


Sink = Callable[[str, bytes], None]


def make(env: Environment, items: Sequence[PlannedPage | PlannedFile], chrome: Chrome, sink: Sink) -> None:
    for item in items:
        data = item.render() if isinstance(item, PlannedFile) else render_page(env, item, chrome)
        sink(item.output_path, data)


def render_all(env: Environment, pages: Sequence[PlannedPage | PlannedFile], chrome: Chrome, sink: Sink,
               workers: int | None = None, batches: Sequence[Sequence[PlannedPage | PlannedFile]] = ()) -> None:
    """Render every page (and make every planned file) and hand its bytes to `sink(output_path, data)`.

    Large sites are split across forked processes, one per core: the children
    inherit the compiled templates and the plan, so nothing is pickled, and
    each writes what it makes through `sink`. Each of `batches` is made by one
    process: list pages reuse the cards that process has made already, and
    exports the paper records, where split across processes each would make
    nearly all of them again. Batches go first, each to whichever process is
    free, so that a warm build's few whole-archive files (the JSON export,
    the BibTeX, `/new.xml`) are made side by side; then `pages` are dealt out
    in chunks the same way, so all processes end at about the same time.
    """
    for name in MEMOISED_MACROS:
        env.globals[name].next_render()
    count = (workers or core_count()) if len(pages) + sum(map(len, batches)) >= PARALLEL_THRESHOLD else 1
    if count > 1:
        env.list_templates()  # compile before forking so children share the work
        for name in {page.template for page in [*pages, *(item for batch in batches for item in batch)]
                     if isinstance(page, PlannedPage)}:
            try:
                env.get_template(name)
            except TemplateError as exc:  # one message with its file and line, not one per process
                file, line = where_in_template(exc, env, name)
                raise BuildError([Diagnostic(file, line, Severity.ERROR, f"{type(exc).__name__}: {exc}")]) from None
    # Only processes that share the work need shared counters (a preview's rebuild renders in one).
    batch_dealer, page_dealer = (Dealer(len(batches), 1), Dealer(len(pages), CHUNK)) if count > 1 else (None, None)

    def share(index: int) -> list[Diagnostic]:
        try:
            for batch in batch_dealer.chunks() if batch_dealer else [slice(None)]:
                for items in batches[batch]:
                    make(env, items, chrome, sink)
            for chunk in page_dealer.chunks() if page_dealer else [slice(None)]:
                make(env, pages[chunk], chrome, sink)
        except BuildError as exc:
            return exc.diagnostics
        except Exception as exc:  # a bug in a feed or export: one line, not a traceback from a child
            return [Diagnostic("(render)", 0, Severity.ERROR, f"{type(exc).__name__}: {exc}")]
        return []

    try:
        failure = [d for found in forked_map(share, range(count), workers=count) for d in found]
    except WorkerDied:
        failure = [Diagnostic("(render)", 0, Severity.ERROR, "a render process died")]
    if failure:
        raise BuildError(failure)


def render_to_memory(env: Environment, pages: Iterable[PlannedPage], chrome: Chrome) -> dict[str, bytes]:
    return {page.output_path: render_page(env, page, chrome) for page in pages}
