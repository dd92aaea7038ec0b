"""Problems found in the input, each pinned to a file and line.

Every stage reports into a `Diagnostics` collector that it is handed; nothing
is printed or raised from deep inside the pipeline. The command line decides
what to print and which exit code follows (`--strict` turns warnings into
failure), so the same parse can serve `sitegen parse`, `build` and `serve`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path


class Severity(str, Enum):
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True, order=True)
class Diagnostic:
    file: str
    line: int  # 1-based; 0 when the problem concerns the whole file
    severity: Severity
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.severity.value}: {self.message}"


@dataclass
class Diagnostics:
    """An append-only list of problems with a few conveniences."""

    items: list[Diagnostic] = field(default_factory=list)

    def warn(self, file: str | Path, line: int, message: str) -> None:
        self.items.append(Diagnostic(str(file), line, Severity.WARNING, message))

    def error(self, file: str | Path, line: int, message: str) -> None:
        self.items.append(Diagnostic(str(file), line, Severity.ERROR, message))

    def extend(self, other: Diagnostics) -> None:
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    def failed(self, strict: bool) -> bool:
        return bool(self.errors or (strict and self.warnings))

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.items)


class BuildError(Exception):
    """A failure that stops the pipeline, carrying the diagnostics that caused it."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__("\n".join(str(d) for d in diagnostics))
