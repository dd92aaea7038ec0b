"""A deterministic synthetic archive: listing dumps shaped like the real ones.

`write_listings(folder, n_papers, seed)` writes `n_papers` distinct papers
into dumps of about a hundred blocks each (dated, with bylines, organisations
and upvotes, some papers repeated in a second dump as in the real data), so
benchmarks can measure sitegen at archive sizes the shipped content lacks.
Same arguments, same bytes.

    python bench/synth.py OUT_CONTENT_DIR [N_PAPERS] [SEED]
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

PER_LISTING = 100
REPEATED = 0.1  # share of papers that a second dump mentions again
WORDS = (
    "attention transformer diffusion retrieval reasoning alignment sparse robust efficient scalable "
    "multimodal vision language agent reinforcement policy reward benchmark dataset distillation "
    "quantization pruning graph molecular protein speech audio video segmentation detection tracking "
    "planning memory context window token routing mixture expert adapter finetuning pretraining "
    "curriculum contrastive generative latent flow matching consistency kernel spectral causal "
    "uncertainty calibration federated privacy watermark safety jailbreak preference feedback"
).split()
ORGS = (("google", "Google"), ("meta-llama", "Meta Llama"), ("nvidia", "NVIDIA"), ("allenai", "Ai2"),
        ("microsoft", "Microsoft"), ("Qwen", "Qwen"), ("deepseek-ai", "DeepSeek"), ("mit-han-lab", "MIT HAN Lab"))
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
OPENINGS = ("We present", "We propose", "This paper introduces", "We study", "We revisit", "We introduce")
CLAIMS = ("improves accuracy on", "reduces the cost of", "generalises across", "outperforms prior work on",
          "scales gracefully to", "remains stable on")


def title_of(rng: random.Random, index: int) -> str:
    name = "".join(rng.choice("BCDFGKLMNPRSTVZ") + rng.choice("aeiou") for _ in range(3)).capitalize()
    words = " ".join(rng.sample(WORDS, rng.randint(4, 7)))
    # The index keeps titles distinct however the dice fall.
    return f"{name}-{index}: {words.capitalize()} for {rng.choice(WORDS)} {rng.choice(WORDS)}"


def abstract_of(rng: random.Random) -> str:
    sentences = [f"{rng.choice(OPENINGS)} a {' '.join(rng.sample(WORDS, 3))} method."]
    for _ in range(rng.randint(3, 7)):
        sentences.append(f"It {rng.choice(CLAIMS)} {' '.join(rng.sample(WORDS, rng.randint(3, 6)))} "
                         f"by {rng.randint(2, 40)}% with {rng.choice(WORDS)} {rng.choice(WORDS)}.")
    return " ".join(sentences)


def block(rng: random.Random, title: str, abstract: str, date: dt.date, saved: dt.date) -> str:
    byline = ("{} {}".format(*rng.choice(ORGS)) if rng.random() < 0.3 else f"  • {rng.randint(1, 30)} authors")
    year = "" if date.year == saved.year else f", {date.year}"
    upvotes = f" {rng.randint(1, 300)}" if rng.random() < 0.8 else ""
    return f"{title}\n\n{abstract}\n\n{byline}\n·\n{MONTHS[date.month - 1]} {date.day}{year}{upvotes}\n\n"


def write_listings(folder: Path, n_papers: int, seed: int = 1) -> list[Path]:
    """Write the dumps into `folder` (made if missing); returns their paths."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    papers = [(title_of(rng, i), abstract_of(rng)) for i in range(n_papers)]
    n_listings = max(1, -(-n_papers // PER_LISTING))
    first_save = dt.date(2025, 1, 1)
    written = []
    for number in range(n_listings):
        saved = first_save + dt.timedelta(days=number * 300 // n_listings)
        own = papers[number * PER_LISTING:(number + 1) * PER_LISTING]
        again = rng.sample(papers[:number * PER_LISTING], int(len(own) * REPEATED)) if number else []
        parts = [f"Daily Papers\n\nbyAK and the research community\n\n{MONTHS[saved.month - 1]} {saved.day}\n\n"]
        for title, abstract in own + again:
            date = saved - dt.timedelta(days=rng.randint(0, 400))
            parts.append(block(rng, title, abstract, date, saved))
        path = folder / f"{saved.isoformat()}-{number:06x}.txt"
        path.write_text("".join(parts), encoding="utf-8")
        written.append(path)
    return written


def write_content(content_dir: Path, n_papers: int, seed: int = 1) -> Path:
    """A whole content folder: the dumps plus the shipped site settings."""
    write_listings(content_dir / "listings", n_papers, seed)
    (content_dir / "site.toml").write_text('title = "Synthetic archive"\n', encoding="utf-8")
    return content_dir


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path, metavar="OUT_CONTENT_DIR", help="content folder to write")
    parser.add_argument("count", type=int, nargs="?", default=10_000, metavar="N_PAPERS", help="default: 10000")
    parser.add_argument("seed", type=int, nargs="?", default=1, metavar="SEED", help="default: 1")
    args = parser.parse_args()
    if args.count < 1:
        parser.error("N_PAPERS must be at least 1")
    write_content(args.target, args.count, args.seed)
    print(f"wrote {args.count} papers into {args.target}")
