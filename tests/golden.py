"""The tiny fixture site and its golden output.

`tests/data/tiny_site/content` is a small content folder that touches every page
kind; `tests/data/tiny_site/expected` is the site it builds into (without the
search index), reviewed by hand and kept in git. test_golden.py rebuilds it and
compares every file, so any change in what a reader gets shows up as a diff.

After a deliberate change to templates or output, regenerate and review:

    .venv/bin/python tests/golden.py && git diff --stat tests/data/tiny_site/expected
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

TINY = Path(__file__).resolve().parent / "data" / "tiny_site"
CONTENT = TINY / "content"
EXPECTED = TINY / "expected"
MARKER = ".sitegen-output"  # the writer's ownership mark, not part of the site


def build_tiny(out: Path) -> None:
    from sitegen.build import BuildOptions, build

    build(BuildOptions(content_dir=CONTENT, out_dir=out, strict=True, search=False))


def site_files(root: Path) -> dict[str, bytes]:
    """Every file of a built site by its path relative to the root."""
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file() and p.name != MARKER}


def regenerate() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "public"
        build_tiny(out)
        shutil.rmtree(EXPECTED, ignore_errors=True)
        shutil.copytree(out, EXPECTED, ignore=shutil.ignore_patterns(MARKER))
    print(f"wrote {len(site_files(EXPECTED))} files to {EXPECTED}")


if __name__ == "__main__":
    if sys.argv[1:]:
        print(f"usage: {sys.argv[0]}\n\nRegenerate {EXPECTED} from the tiny site (takes no arguments).")
        sys.exit(0 if sys.argv[1:] in (["-h"], ["--help"]) else 2)
    sys.path.insert(0, str(TINY.parent.parent.parent))
    regenerate()
