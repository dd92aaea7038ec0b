"""The tiny fixture site builds into exactly its reviewed golden output."""

from __future__ import annotations

import difflib

from tests.golden import EXPECTED, build_tiny, site_files


def test_tiny_site_matches_golden_output(tmp_path):
    out = tmp_path / "public"
    build_tiny(out)
    built, expected = site_files(out), site_files(EXPECTED)

    assert sorted(built) == sorted(expected), "files added or missing; see tests/golden.py to regenerate"
    for name, data in expected.items():
        if built[name] != data:
            diff = difflib.unified_diff(data.decode(errors="replace").splitlines(),
                                        built[name].decode(errors="replace").splitlines(),
                                        f"expected/{name}", f"built/{name}", lineterm="", n=2)
            raise AssertionError("\n".join(list(diff)[:60]))
