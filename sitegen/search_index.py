"""The search index: Pagefind run over the rendered site before it goes live.

The build's "index" phase runs Pagefind's command line on the staging folder,
after every page is written and before the swap. The index therefore always
matches the pages beside it: a failed index fails the build and leaves the
live site alone, and a stale index cannot survive because the staging folder
starts empty on every build.

Why the command line and not the `pagefind` Python API: both run the same
binary, and given the whole folder both index 10,000 papers in about 14 s with
about 1.2 GB of memory (bench/search_bench.py; the API's page-by-page
`add_html_file` manages 9 pages/s). But the API waits forever for a reply if
the binary dies mid-run, say killed for memory, while a subprocess reports its
exit status and output, which become one clear build error.

Only paper pages carry `data-pagefind-body`; once any page has it, Pagefind
skips every page without it. The page count Pagefind reports back is checked
against the number of paper pages, so an index of navigation or lists fails
the build instead of shipping.
"""

from __future__ import annotations

import json
import signal
import subprocess
from collections.abc import Iterable
from pathlib import Path

from pagefind.service import get_executable

from sitegen.diagnostics import BuildError, Diagnostic, Severity
from sitegen.plan import PlannedPage

BUNDLE_DIR = "pagefind"  # served at Urls.pagefind(); Pagefind fingerprints its own chunk files
OUTPUT_TAIL = 12  # lines of Pagefind's output shown when it fails


def fail(where: str, message: str) -> BuildError:
    return BuildError([Diagnostic(where, 0, Severity.ERROR, message)])


def check_bundle_path_free(pages: Iterable[PlannedPage]) -> None:
    """Refuse a page that would be written where the search index goes."""
    clashes = [
        Diagnostic(page.source_path or page.output_path, 0, Severity.ERROR,
                   f"{page.source} would write {page.output_path}, inside {BUNDLE_DIR}/ where the search "
                   f"index goes; rename the file")
        for page in pages if page.output_path.startswith(BUNDLE_DIR + "/")
    ]
    if clashes:
        raise BuildError(clashes)


def pagefind_command() -> list[str]:
    # PAGEFIND_BINARY_PATH, when set, names another binary (honoured by the pagefind package).
    executable = get_executable()
    if executable is None:
        raise fail("(search index)", "Pagefind is not installed; install sitegen with its dependencies "
                                     "(pip install -e .) or build with --no-search")
    return [str(executable)]


def describe_exit(code: int) -> str:
    if code < 0:
        name = signal.Signals(-code).name if -code in signal.valid_signals() else f"signal {-code}"
        hint = " (out of memory?)" if -code == signal.SIGKILL else ""
        return f"was killed by {name}{hint}"
    return f"exited with status {code}"


def index_site(site_dir: Path, searchable_pages: int) -> int:
    """Index `site_dir` into `site_dir/pagefind/`; return the number of pages indexed."""
    if searchable_pages == 0:
        return 0  # Pagefind would index every page's <body> instead
    command = pagefind_command() + ["--site", str(site_dir), "--output-subdir", BUNDLE_DIR, "--quiet"]
    try:
        run = subprocess.run(command, capture_output=True, text=True, errors="replace", stdin=subprocess.DEVNULL)
    except OSError as exc:
        raise fail(command[0], f"cannot run Pagefind: {exc.strerror or exc}; reinstall sitegen "
                               f"(pip install -e .) or build with --no-search") from None
    if run.returncode != 0:
        output = (run.stdout + run.stderr).strip().splitlines()[-OUTPUT_TAIL:]
        detail = "; ".join(line.strip() for line in output if line.strip()) or "no output"
        raise fail("(search index)", f"Pagefind {describe_exit(run.returncode)}: {detail}")
    indexed = indexed_pages(site_dir / BUNDLE_DIR)
    if indexed != searchable_pages:
        raise fail("(search index)", f"Pagefind indexed {indexed} pages but the site has {searchable_pages} paper "
                                     f"pages; only pages with data-pagefind-body may be indexed (check the templates)")
    return indexed


def indexed_pages(bundle: Path) -> int:
    """The page count Pagefind wrote into its entry file, over all languages."""
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        return sum(language["page_count"] for language in entry["languages"].values())
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise fail(str(bundle / "pagefind-entry.json"), f"Pagefind wrote no readable index entry file ({exc})") from None
