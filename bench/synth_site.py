"""A deterministic synthetic content folder of any size, for benchmarks.

Words are drawn from the shipped listings so the text has a real word
distribution (which is what a search index's size depends on). Every paper's
title starts with a made-up code name that occurs nowhere else, so a benchmark
can search for one paper and know which result must come first.

    python bench/synth_site.py OUT_DIR --papers 10000
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PER_LISTING = 100
SYLLABLES = ("ka", "zu", "mor", "vex", "tri", "lon", "qua", "dre", "bix", "sol", "nym", "pra", "gal", "fer")
ORGS = (("google", "Google"), ("apple", "Apple"), ("kyutai", "Kyutai"), ("allenai", "Ai2"), ("nvidia", "NVIDIA"))
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
TAGS = """\
[reinforcement-learning]
name = "Reinforcement learning"
phrases = ["reinforcement learning"]

[diffusion-models]
name = "Diffusion models"
phrases = ["diffusion model"]

[language-models]
name = "Language models"
phrases = ["language model"]
"""


def vocabulary() -> list[str]:
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted((REPO / "content" / "listings").glob("*.txt")))
    return re.findall(r"[A-Za-z][A-Za-z-]{2,}", text)


def code_name(number: int) -> str:
    """A pronounceable word unique to `number`: its four base-14 digits as syllables.

    No syllable is a prefix of another and every name has four, so no code name
    is a prefix of another (a search for one would otherwise rank its extensions).
    """
    parts = []
    for _ in range(4):
        number, digit = divmod(number, len(SYLLABLES))
        parts.append(SYLLABLES[digit])
    if number:
        raise ValueError("code names run out at 14**4 papers")
    return "".join(parts).capitalize()


def paper(rng: random.Random, words: list[str], number: int) -> tuple[str, str]:
    title = f"{code_name(number)}: " + " ".join(rng.choice(words) for _ in range(rng.randint(4, 9))).capitalize()
    sentences = []
    for _ in range(rng.randint(5, 10)):
        sentence = " ".join(rng.choice(words) for _ in range(rng.randint(12, 25)))
        sentences.append(sentence[0].upper() + sentence[1:] + ".")
    return title, " ".join(sentences)


def write_content(out: Path, papers: int, seed: int = 1) -> Path:
    """Write `out/listings/*.txt`, `tags.toml` and `site.toml`; return `out`."""
    rng = random.Random(seed)
    words = vocabulary()
    (out / "listings").mkdir(parents=True, exist_ok=True)
    (out / "tags.toml").write_text(TAGS, encoding="utf-8")
    (out / "site.toml").write_text('title = "Synthetic archive"\nbase_url = "http://127.0.0.1:8000/"\n', encoding="utf-8")
    saved = dt.date(2025, 11, 13)
    for first in range(0, papers, PER_LISTING):
        numbers = range(first, min(first + PER_LISTING, papers))
        listing = first // PER_LISTING
        if listing % 10 == 9:  # one dump in ten is an undated one: titles and abstracts only
            text = "".join("{}\n\n{}\n\n".format(*paper(rng, words, n)) for n in numbers)
            (out / "listings" / f"undated-{listing:05d}.txt").write_text(text, encoding="utf-8")
            continue
        blocks = ["Daily Papers\n"]
        for number in numbers:
            title, abstract = paper(rng, words, number)
            byline = "{} {}".format(*rng.choice(ORGS)) if rng.random() < 0.2 else f"  • {rng.randint(1, 30)} authors"
            day = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(700))  # before any save date
            blocks.append(f"{title}\n\n{abstract}\n\n{byline}\n·\n"
                          f"{MONTHS[day.month - 1]} {day.day}, {day.year} {rng.randint(0, 300)}\n")
        name = f"{saved - dt.timedelta(days=listing):%Y-%m-%d}-synthetic.txt"
        (out / "listings" / name).write_text("\n".join(blocks), encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    write_content(args.out, args.papers, args.seed)


if __name__ == "__main__":
    main()
