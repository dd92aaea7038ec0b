"""Each folder in tests/data/broken_sites is a content folder with one mistake in it,
and expected.txt says what the curator must see. No case may show a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

CASES = sorted((Path(__file__).parent / "data" / "broken_sites").iterdir())


def expectation(case: Path) -> tuple[int, int, list[str]]:
    lines = [line for line in (case / "expected.txt").read_text().splitlines() if not line.startswith("#")]
    return int(lines[0]), int(lines[1]), lines[2:]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
def test_broken_site_gives_a_clear_message(case, strict, tmp_path):
    code, strict_code, messages = expectation(case)
    # Without the build cache, which would go beside `content` in this repository's test data.
    args = [sys.executable, "-m", "sitegen", "build", "--content", "content", "--out", str(tmp_path / "out"), "--no-cache"]
    run = subprocess.run(args + ["--strict"] * strict, cwd=case, capture_output=True, text=True)
    assert "Traceback" not in run.stderr
    assert run.returncode == (strict_code if strict else code), run.stderr
    for message in messages:
        assert message in run.stderr.splitlines() or any(line.startswith(message) for line in run.stderr.splitlines()), run.stderr
    if run.returncode:
        assert not (tmp_path / "out").exists()
        assert list(tmp_path.iterdir()) == []  # no staging folder left behind
