"""Two builds of the same content, from different folders, with a different time
zone, locale and hash seed, give byte-identical sites. Pagefind's own bundle is
not byte-stable (its filter files vary run to run), so it is compared by what it
indexes: every page record with its URL, text, filters and meta."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

from built_site import pagefind_fragments, snapshot

from conftest import REPO, SHIPPED_CONTENT

ENVIRONMENTS = [
    {"TZ": "Pacific/Kiritimati", "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8", "PYTHONHASHSEED": "1"},
    {"TZ": "America/Adak", "LC_ALL": "POSIX", "LANG": "de_DE.UTF-8", "PYTHONHASHSEED": "4242"},
]


def build_in(folder, environment: dict[str, str]):
    content = folder / "content"
    shutil.copytree(SHIPPED_CONTENT, content)
    out = folder / "public"
    run = subprocess.run([sys.executable, "-m", "sitegen", "build", "--content", str(content), "--out", str(out), "--strict"],
                         cwd=REPO, env={**os.environ, **environment}, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    return out


def test_builds_in_different_environments_are_identical(tmp_path):
    first, second = (build_in(tmp_path / f"build-{n}", env) for n, env in enumerate(ENVIRONMENTS))
    files = {path: data for path, data in snapshot(first).items() if not path.startswith("pagefind/")}
    others = {path: data for path, data in snapshot(second).items() if not path.startswith("pagefind/")}
    assert len(files) > 1000
    assert sorted(files) == sorted(others)
    assert [path for path in files if files[path] != others[path]] == []

    def index(site):
        return sorted(json.dumps(record, sort_keys=True) for record in pagefind_fragments(site))

    first_index = index(first)
    assert len(first_index) == len(list((first / "papers").glob("*/index.html")))  # one record per paper page
    assert first_index == index(second)
