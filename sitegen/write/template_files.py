"""One digest of every template file: what pages rendered from them are known by (preview, build cache)."""

from __future__ import annotations

import hashlib
from pathlib import Path


def templates_digest(templates_dir: Path) -> bytes:
    digest = hashlib.sha256()
    for path in sorted(p for p in templates_dir.rglob("*") if p.is_file()):
        digest.update(path.relative_to(templates_dir).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.digest()
