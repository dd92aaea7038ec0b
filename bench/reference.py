"""The reference workload: archives made by ../shared/bench/gen_corpus.py, cached.

Every benchmark measures on it (its README has the statistics that make it
look like real abstracts: about 13,000 distinct words at 10,000 papers). The
same arguments give the same bytes, so a corpus is made once per size and
kept in bench/.corpus/ (ignored by git).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
RELATIVE = Path("shared") / "bench" / "gen_corpus.py"  # ../shared/bench/ from the repository


def main_checkout() -> Path:
    """The main checkout, also from a git worktree (which lives elsewhere)."""
    try:
        common = subprocess.run(["git", "rev-parse", "--path-format=absolute", "--git-common-dir"], cwd=REPO,
                                capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return REPO
    return Path(common).parent


GEN_CORPUS = next((path for path in (REPO.parent / RELATIVE, main_checkout().parent / RELATIVE) if path.is_file()),
                  REPO.parent / RELATIVE)
CACHE = BENCH_DIR / ".corpus"


def generate(*arguments: str) -> None:
    if not GEN_CORPUS.is_file():
        raise SystemExit(f"{GEN_CORPUS}: the reference workload's generator is missing; "
                         f"the benchmarks need ../shared/bench/ beside the repository")
    subprocess.run([sys.executable, str(GEN_CORPUS), *arguments], check=True, stdout=subprocess.DEVNULL)


def corpus(papers: int) -> Path:
    """The JSON Lines of `papers` papers, made once."""
    path = CACHE / f"corpus-{papers}.jsonl"
    if not path.exists():
        CACHE.mkdir(exist_ok=True)
        generate("corpus", "-n", str(papers), "-o", str(path.with_suffix(".tmp")))
        path.with_suffix(".tmp").rename(path)
    return path


def write_content(content_dir: Path, papers: int) -> Path:
    """A content folder of `papers` papers as dated listing dumps, with the shipped taxonomy."""
    generate("listings", str(corpus(papers)), str(content_dir))
    (content_dir / "site.toml").write_text('title = "Reference archive"\n', encoding="utf-8")
    shutil.copy(REPO / "content" / "tags.toml", content_dir / "tags.toml")
    return content_dir


def write_listings(folder: Path, papers: int) -> list[Path]:
    """Only the dumps, into `folder`."""
    content = write_content(folder.parent / (folder.name + "-content"), papers)
    shutil.rmtree(folder, ignore_errors=True)
    shutil.move(str(content / "listings"), folder)
    shutil.rmtree(content)
    return sorted(folder.glob("*.txt"))
