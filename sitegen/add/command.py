"""The `sitegen add` command line. Today's date is read from the clock here, and only here."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from sitegen.add import show
from sitegen.add.intake import add_listings
from sitegen.core.diagnostics import Diagnostics

SUMMARY = "take newly saved listing dumps into the content folder and say what they bring"
DESCRIPTION = f"""{SUMMARY}.

Each dump is read exactly as a build reads it (same parser, same FILE:LINE
warnings) and merged with the listings already in CONTENT/listings/. A dump
with an error is refused, and then nothing at all is written.

The copy is the dump's bytes, verbatim, written atomically as
CONTENT/listings/YYYY-MM-DD-<hash>.txt, named by its save date: --saved, else
a date in the dump's file name, else the header's `Mon D` in the year of the
newest listing (a guess, with a warning; never a date after today). A dump
with no date at all is added undated as <hash>.txt, with a warning, unless
--saved dates it. An existing listing is never overwritten, and a dump whose
bytes are already in the archive is reported and skipped.

For each dump it prints what it brings against the archive as it stands: new
papers, papers already known and the facts that change (upvotes, date, a
longer abstract, title, id), papers sharing a title with another one, and the
days, tags and organisations that gain papers."""
EPILOG = """exit status: 0 added (or skipped, or a dry run), 1 refused (a dump has errors;
nothing written), 2 bad usage.

example:
  sitegen add ~/Downloads/daily-papers.txt --saved 2025-11-13 --dry-run"""


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write it as YYYY-MM-DD") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `sitegen add` (`--content` is every command's)."""
    parser.description, parser.epilog = DESCRIPTION, EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="saved listing dumps (plain text files)")
    parser.add_argument("--saved", type=iso_date, metavar="YYYY-MM-DD",
                        help="the day the dumps were saved (default: from the file name, else the header)")
    parser.add_argument("--json", action="store_true", help="print what each dump brings as one JSON document")
    parser.add_argument("--dry-run", action="store_true", help="say what would be added, and write nothing")
    parser.set_defaults(run=cmd_add)


def usage_error(message: str) -> int:
    print(f"sitegen add: error: {message}", file=sys.stderr)
    return 2


def cmd_add(args: argparse.Namespace) -> int:
    today = dt.date.today()  # the one reading of the clock: everything below is handed it
    if not args.content.is_dir():
        return usage_error(f"{args.content}: content folder not found; pass --content DIR")
    if args.saved and args.saved > today:
        return usage_error(f"--saved {args.saved.isoformat()} is after today ({today.isoformat()})")
    for path in args.paths:
        if not path.is_file():
            problem = "not a file" if path.exists() else "no such file"
            return usage_error(f"{path}: {problem}; name saved listing dumps (plain text files)")
    report = Diagnostics()
    intakes = add_listings(args.paths, args.content, args.saved, today, args.dry_run, report)
    for diagnostic in report.items:
        print(diagnostic, file=sys.stderr)
    print(show.as_json(intakes, args.dry_run) if args.json else show.as_text(intakes))
    refused = sum(1 for intake in intakes if intake.status == "refused")
    if refused:
        print(f"refused {refused} of {len(intakes)} dump(s); nothing was written", file=sys.stderr)
        return 1
    return 0
