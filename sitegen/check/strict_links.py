"""A strict build (the Netlify deploy) refuses broken internal links in curator pages.

`sitegen check` checks every page; a build cannot afford that at 100,000
papers, and sitegen's own pages are held by tests. What a curator writes
(Markdown pages) is what breaks: those pages are checked in the staging
folder before the swap, and each broken link is pinned to the line of the
Markdown file that holds it.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from sitegen.check.linkcheck import check_site
from sitegen.core.diagnostics import BuildError, Diagnostic
from sitegen.plan.planner import Plan
from sitegen.plan.urls import Urls


def source_line(source: str, problem: Diagnostic) -> int:
    """The first line of the Markdown file that holds the broken link's target, else 0."""
    target = problem.message.split("'")[1] if problem.message.count("'") >= 2 else ""
    try:
        lines = Path(source).read_text(encoding="utf-8-sig").splitlines()
    except OSError:
        return 0
    path = target.split("#")[0]
    for wanted in (target, path.rstrip("/") or target):
        for number, line in enumerate(lines, start=1):
            if wanted and wanted in line:
                return number
    return 0


def of_this_site(problem: Diagnostic, base_url: str) -> bool:
    """False for an absolute link to the site's host outside its base path: another site there."""
    target = problem.message.split("'")[1] if problem.message.count("'") >= 2 else ""
    parts = urlsplit(target)
    return not parts.netloc or parts.path.startswith(urlsplit(base_url).path or "/")


def refuse_broken_links(site_dir: Path, plan: Plan, base_url: str) -> None:
    checked = {page.output_path: page.source_path for page in plan.pages if page.source_path}
    if not checked:
        return
    problems = [problem for problem in check_site(site_dir, base_url, unchecked=(Urls(base_url).pagefind(),),
                                                  only=[site_dir / output for output in checked])
                if of_this_site(problem, base_url)]
    if problems:
        raise BuildError([
            Diagnostic(checked[problem.file], source_line(checked[problem.file], problem), problem.severity,
                       f"{problem.message} (in {problem.file}); fix or remove the link: a strict build refuses it")
            for problem in problems])
