"""`sitegen check`: the curator's quick look before a commit.

Runs what a build runs up to the pages (parse, merge, plan with its output
collision check, render) into a throwaway folder, without the search index,
then checks every internal link and #fragment of the result. Nothing
deployable is left behind: the folder is removed when the check ends.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.build import BuildOptions, build
from sitegen.core.diagnostics import BuildError, Diagnostic, Diagnostics
from sitegen.check.linkcheck import check_site
from sitegen.plan.urls import Urls


@dataclass
class CheckResult:
    report: Diagnostics = field(default_factory=Diagnostics)
    pages: int = 0  # pages rendered and link-checked; 0 when the content did not get that far

    def summary(self) -> str:
        checked = f"checked {self.pages} pages" if self.pages else "stopped before the pages"
        return f"{checked}: {len(self.report.warnings)} warning(s), {len(self.report.errors)} error(s)"


def blame_source(problem: Diagnostic, sources: dict[str, str]) -> Diagnostic:
    """A broken link in a page made from a content file (a Markdown page) is pinned to that file."""
    source = sources.get(problem.file)
    if not source:
        return problem
    return Diagnostic(source, 0, problem.severity, f"{problem.message} (in {problem.file}, line {problem.line})")


def check(content_dir: Path, base_url: str | None = None) -> CheckResult:
    result = CheckResult()
    with tempfile.TemporaryDirectory(prefix="sitegen-check-") as folder:
        out = Path(folder) / "site"
        try:
            built = build(BuildOptions(content_dir=content_dir, out_dir=out, base_url=base_url, search=False))
        except BuildError as exc:
            result.report.items.extend(exc.diagnostics)
            return result
        result.report.extend(built.report)
        result.pages = len(built.plan.pages)
        sources = {page.output_path: page.source_path for page in built.plan.pages if page.source_path}
        bundle = Urls(built.site.config.base_url).pagefind()  # the search index is not built here
        for problem in check_site(out, built.site.config.base_url, unchecked=(bundle,)):
            result.report.items.append(blame_source(problem, sources))
    return result
