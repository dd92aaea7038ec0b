"""The checkers the suite runs over built sites, pinned in tests/tools/package.json
and installed by scripts/test.sh (`npm ci --ignore-scripts --prefix tests/tools`)."""

from __future__ import annotations

from pathlib import Path

TOOLS = Path(__file__).resolve().parent / "tools" / "node_modules"
VNU_JAR = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = TOOLS / "axe-core" / "axe.min.js"


def tool(path: Path) -> Path:
    """`path`, or a failure that says how to install it (a missing checker must not pass silently)."""
    if not path.is_file():
        raise AssertionError(f"{path} is missing: run scripts/test.sh, or npm ci --ignore-scripts --prefix tests/tools")
    return path
