"""What `sitegen add` prints: a few lines per dump for a person, or one JSON document.

Titles come from the dumps, so control characters in them are shown escaped:
a saved page must not be able to drive the curator's terminal.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from sitegen.add.brings import Brings, Change, GroupGain, PaperBrought
from sitegen.add.intake import Intake

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
SHOWN_TITLES = 20  # per list; --json has them all
VERBS = {"added": "added", "would add": "would add", "skipped": "skipped", "refused": "refused"}


def printable(text: str) -> str:
    return CONTROL.sub(lambda m: repr(m.group(0))[1:-1], text)


def as_json(intakes: list[Intake], dry_run: bool) -> str:
    document = {"dry_run": dry_run, "listings": [intake.model_dump(mode="json") for intake in intakes]}
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False)


def change_text(name: str, change: Change) -> str:
    if name == "abstract":
        return f"abstract {change.before} -> {change.after} characters"
    return f"{name} {change.before if change.before is not None else 'none'} -> {change.after if change.after is not None else 'none'}"


def paper_lines(mark: str, papers: tuple[PaperBrought, ...]) -> Iterable[str]:
    for paper in papers[:SHOWN_TITLES]:
        detail = "; ".join(change_text(name, change) for name, change in paper.changes.items())
        yield f"    {mark} {printable(paper.title)}" + (f" ({detail})" if detail else "")
    if len(papers) > SHOWN_TITLES:
        yield f"    ... and {len(papers) - SHOWN_TITLES} more (--json lists them all)"


def gain_line(label: str, gains: tuple[GroupGain, ...]) -> Iterable[str]:
    if gains:
        shown = ", ".join(f"{printable(g.name)} +{g.gained} (now {g.papers})" for g in gains[:SHOWN_TITLES])
        more = f", ... and {len(gains) - SHOWN_TITLES} more" if len(gains) > SHOWN_TITLES else ""
        yield f"  {label} gaining papers ({len(gains)}): {shown}{more}"


def brings_lines(brings: Brings) -> Iterable[str]:
    changed = tuple(paper for paper in brings.known if paper.changes)
    yield (f"  {brings.entries} paper blocks: {len(brings.new)} new papers, {len(brings.known)} already known "
           f"({len(changed)} with changed facts); the archive goes from {brings.papers_before} to "
           f"{brings.papers_after} papers")
    if brings.new:
        yield f"  new papers ({len(brings.new)}):"
        yield from paper_lines("+", brings.new)
    if changed:
        yield f"  known papers whose facts change ({len(changed)}):"
        yield from paper_lines("~", changed)
    if brings.others_changed:
        yield f"  other papers whose id changes ({len(brings.others_changed)}):"
        yield from paper_lines("~", brings.others_changed)
    if brings.same_title:
        yield f"  same title as another paper, kept apart ({len(brings.same_title)}):"
        for conflict in brings.same_title[:SHOWN_TITLES]:
            yield f"    ! {printable(conflict.title)} ({conflict.id}; also {', '.join(conflict.others)})"
    yield from gain_line("days", brings.days)
    yield from gain_line("tags", brings.tags)
    yield from gain_line("organisations", brings.orgs)


def as_text(intakes: list[Intake]) -> str:
    lines = []
    for intake in intakes:
        source = printable(intake.source)
        if intake.status == "skipped":
            lines.append(f"skipped {source}: the very same bytes are already in the archive as {intake.same_as}")
            continue
        if intake.status == "refused":
            lines.append(f"refused {source}: it has errors (above); nothing was written")
            continue
        saved = f"saved {intake.saved_on.isoformat()}, from the {intake.saved_from}" if intake.saved_on else "undated"
        lines.append(f"{VERBS[intake.status]} {source} as {intake.listing} ({saved})")
        lines.extend(brings_lines(intake.brings))
    return "\n".join(lines)
