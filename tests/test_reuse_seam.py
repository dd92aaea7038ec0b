"""The build's one seam for reuse (sitegen/reuse.py): the pipeline knows no implementation of it."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from sitegen.build import PROJECT_DIR, BuildOptions, Cancelled, build
from sitegen.preview.incremental import MemoryReuse
from sitegen.reuse import Fresh, Mode

PACKAGE = PROJECT_DIR / "sitegen"


def imports_of(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_no_pipeline_module_imports_the_preview():
    # cli.py starts the preview for `sitegen serve`: a command above the pipeline and the preview.
    # `sitegen add` (add/) shares the preview's memos from memo/, not from preview/.
    outside = [path for path in PACKAGE.rglob("*.py")
               if "preview" not in path.relative_to(PACKAGE).parts and path.name != "cli.py"]
    assert len(outside) > 30
    offenders = {str(path.relative_to(PACKAGE)): sorted(name for name in imports_of(path)
                                                        if name.startswith("sitegen.preview"))
                 for path in outside}
    assert {path: names for path, names in offenders.items() if names} == {}


def test_the_pipeline_imports_no_reuse_implementation():
    # The memos and the disk cache wrap the pipeline's steps from outside, through sitegen/reuse.py.
    beside = {"preview", "memo", "cache", "add"}
    pipeline = [path for path in PACKAGE.rglob("*.py")
                if not beside & set(path.relative_to(PACKAGE).parts) and path.name != "cli.py"]
    assert len(pipeline) > 30
    offenders = {str(path.relative_to(PACKAGE)): sorted(name for name in imports_of(path)
                                                        if name.startswith(("sitegen.memo", "sitegen.cache")))
                 for path in pipeline}
    assert {path: names for path, names in offenders.items() if names} == {}


@pytest.fixture
def project(tmp_path):
    shutil.copytree(PROJECT_DIR / "content", tmp_path / "content")
    return tmp_path


def options(project, out="out"):
    return BuildOptions(content_dir=project / "content", out_dir=project / out, search=False)


def files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_cancelled_build_stops_at_the_next_phase_and_leaves_the_last_site_as_it_was(project):
    build(options(project))
    before = files(project / "out")
    (project / "content" / "site.toml").write_text('title = "Another title"\n', encoding="utf-8")
    asked = []

    def cancel() -> bool:
        asked.append(True)
        return len(asked) > 2  # after reading and merging: as an edit arriving mid-build would

    with pytest.raises(Cancelled):
        build(options(project), reuse=MemoryReuse(), mode=Mode.EXACT, cancel=cancel)
    assert len(asked) == 3 and files(project / "out") == before
    assert not list(project.glob(".out.*"))  # no staging folder left behind


def test_what_the_preview_needs_comes_back_in_the_result(project):
    reuse = MemoryReuse()
    first = build(options(project), reuse=reuse, mode=Mode.QUICK)
    assert first.exact and not first.output.in_place and first.output.reused == 0
    assert first.output.written == len(first.plan.pages) + len(first.plan.files)
    again = build(options(project), reuse=reuse, mode=Mode.EXACT)  # nothing changed: nothing to write
    assert again.exact and again.output.in_place
    assert again.output.reused == len(again.plan.pages) and again.output.written == 0


def test_a_plain_build_reports_every_page_rendered(project):
    result = build(options(project))
    assert result.exact and result.replaced is None
    assert result.output.reused == 0 and result.output.written == len(result.plan.pages) + len(result.plan.files)


def test_the_search_bundles_are_written_through_the_reuse(project):
    """A cache on disk would copy bundles whose records it indexed before: the seam hands it the indexing."""
    seen = []

    class Counting(Fresh):
        def index(self, index_shards):
            def counting(shards, *rest):
                seen.append(sum(len(shard) for shard in shards))
                return index_shards(shards, *rest)
            return counting

    result = build(BuildOptions(content_dir=project / "content", out_dir=project / "out"), reuse=Counting())
    papers = len(result.site.papers)
    assert seen == [papers]
    assert (project / "out" / "pagefind" / "pagefind-entry.json").is_file()
