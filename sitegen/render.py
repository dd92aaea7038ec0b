"""Planned pages -> bytes, through Jinja templates compiled once per build.

Autoescape is on for every template (listing text is data) and undefined
names fail loudly (`StrictUndefined`), so a typo in a template is an error,
not an empty string on the page.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError

from sitegen.diagnostics import BuildError, Diagnostic, Severity
from sitegen.plan import PlannedPage
from sitegen.views import Chrome

# Below this many pages a second process costs more than it saves.
PARALLEL_THRESHOLD = 1500


def make_environment(templates_dir: Path) -> Environment:
    return Environment(
        loader=FileSystemLoader(templates_dir),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        keep_trailing_newline=True,
    )


def render_page(env: Environment, page: PlannedPage, chrome: Chrome) -> bytes:
    try:
        template = env.get_template(page.template)
        return template.render(chrome=chrome, meta=page.meta, view=page.view).encode("utf-8")
    except TemplateError as exc:
        line = getattr(exc, "lineno", 0) or 0
        name = getattr(exc, "filename", None) or page.template
        raise BuildError([Diagnostic(name, line, Severity.ERROR, f"{type(exc).__name__}: {exc} (rendering {page.url})")]) from None


Sink = Callable[[str, bytes], None]


def _render_slice(env: Environment, pages: list[PlannedPage], chrome: Chrome, sink: Sink, start: int, step: int) -> None:
    for page in pages[start::step]:
        sink(page.output_path, render_page(env, page, chrome))


def render_all(env: Environment, pages: list[PlannedPage], chrome: Chrome, sink: Sink, workers: int | None = None) -> None:
    """Render every page and hand its bytes to `sink(output_path, data)`.

    Large sites are split across forked processes, one per core: the children
    inherit the compiled templates and the plan, so nothing is pickled, and
    each writes its own share of the files through `sink`.
    """
    workers = workers or min(os.cpu_count() or 1, 4)
    if workers < 2 or len(pages) < PARALLEL_THRESHOLD or "fork" not in multiprocessing.get_all_start_methods():
        _render_slice(env, pages, chrome, sink, 0, 1)
        return
    env.list_templates()  # compile before forking so children share the work
    for name in {page.template for page in pages}:
        env.get_template(name)
    context = multiprocessing.get_context("fork")

    def child(start: int, outbox) -> None:
        try:
            _render_slice(env, pages, chrome, sink, start, workers)
            outbox.send([])
        except BuildError as exc:
            outbox.send(exc.diagnostics)
        except BaseException as exc:  # handed to the parent, which fails the build
            outbox.send([Diagnostic("(render)", 0, Severity.ERROR, f"{type(exc).__name__}: {exc}")])

    children = []
    for start in range(1, workers):
        inbox, outbox = context.Pipe(duplex=False)
        process = context.Process(target=child, args=(start, outbox))
        process.start()
        outbox.close()
        children.append((process, inbox))
    failure: list[Diagnostic] = []
    try:
        _render_slice(env, pages, chrome, sink, 0, workers)
    except BuildError as exc:
        failure.extend(exc.diagnostics)
    for process, inbox in children:
        try:
            failure.extend(inbox.recv())  # EOFError if the child died without a word
        except EOFError:
            failure.append(Diagnostic("(render)", 0, Severity.ERROR, "a render process died"))
        process.join()
    if failure:
        raise BuildError(failure)


def render_to_memory(env: Environment, pages: Iterable[PlannedPage], chrome: Chrome) -> dict[str, bytes]:
    return {page.output_path: render_page(env, page, chrome) for page in pages}
