"""Issue 15, "Also": every script and command answers `--help` and a bad
argument with its usage, never by acting on them (`bench/synth.py --help`
used to write an archive into a folder named `--help`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# Every bench file that runs as a script; a module the scripts import (bench/reference.py) is not one.
SCRIPTS = sorted(path.relative_to(REPO).as_posix() for path in (REPO / "bench").glob("*.py")
                 if '__name__ == "__main__"' in path.read_text()) + ["tests/golden.py"]
COMMANDS = [[], ["build"], ["serve"], ["check"], ["parse"], ["add"]]


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("script", SCRIPTS)
def test_every_script_answers_help_and_bad_arguments_with_usage_and_acts_on_neither(script, tmp_path):
    for argument, codes in (("--help", (0,)), ("--no-such-option", (1, 2))):
        done = run([sys.executable, str(REPO / script), argument], tmp_path)
        assert done.returncode in codes, (argument, done.stdout, done.stderr)
        assert "usage:" in (done.stdout + done.stderr).lower(), (argument, done.stdout, done.stderr)
        assert list(tmp_path.iterdir()) == [], f"{script} {argument} wrote files"


def test_the_test_script_answers_help_without_installing_anything(tmp_path):
    done = run(["bash", str(REPO / "scripts" / "test.sh"), "--help"], tmp_path)
    assert done.returncode == 0 and done.stdout.startswith("usage: bash scripts/test.sh")


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "sitegen")
def test_every_sitegen_command_answers_help_and_bad_arguments_with_usage(command, tmp_path):
    help_run = run([sys.executable, "-m", "sitegen", *command, "--help"], tmp_path)
    assert help_run.returncode == 0 and help_run.stdout.startswith("usage: sitegen")
    bad = run([sys.executable, "-m", "sitegen", *command, "--no-such-option"], tmp_path)
    assert bad.returncode == 2 and bad.stderr.startswith("usage: sitegen") and "unrecognized arguments" in bad.stderr \
        or "invalid choice" in bad.stderr or "required" in bad.stderr
    assert list(tmp_path.iterdir()) == []
