"""Social cards: CPU milliseconds a card, drawn in one process from the reference workload's titles.

    .venv/bin/python bench/cards_bench.py                 # 300 paper cards, 3 rounds
    .venv/bin/python bench/cards_bench.py --cards 1000 --rounds 5

Each card is a paper's: its title (real vocabulary, wrapped over up to four
lines), a date and upvotes line, and three tags as pills, as
plan/cards.py makes them. Prints each round's CPU ms a card (process time,
so another process on the machine disturbs it less than wall time) and the
PNG's average size.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.reference import corpus  # noqa: E402
from sitegen.write.cards import CardText, draw_card, shown  # noqa: E402

TAGS = ("Language models", "Reasoning", "Vision-language models", "Agents", "Diffusion models", "Speech")


def card_texts(count: int) -> list[CardText]:
    texts = []
    with corpus(max(count, 1000)).open(encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if number == count:
                break
            paper = json.loads(line)
            texts.append(CardText("Reference archive", "Paper", shown(paper["title"]),
                                  ("Oct 9, 2024", f"{number % 300} upvotes"),
                                  tuple(TAGS[(number + k) % len(TAGS)] for k in range(3))))
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    texts = card_texts(args.cards)
    draw_card(texts[0])  # fonts loaded once, as in a build
    for round_number in range(1, args.rounds + 1):
        start = time.process_time()
        sizes = [len(draw_card(text)) for text in texts]
        spent = time.process_time() - start
        print(f"round {round_number}: {spent / len(texts) * 1000:.2f} CPU ms a card, "
              f"{sum(sizes) / len(sizes) / 1000:.1f} KB a card ({len(texts)} cards)")


if __name__ == "__main__":
    main()
