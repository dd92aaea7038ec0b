"""The `sitegen` command line: parse, build, check, serve, add."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from pathlib import Path

from sitegen.add.command import SUMMARY as ADD_SUMMARY, add_arguments
from sitegen.build import BuildOptions
from sitegen.cache.command import add_cache_arguments, cache_dir, cached_build
from sitegen.core.diagnostics import BuildError, Diagnostics
from sitegen.read.listings import listing_files, read_listings
from sitegen.assemble.merge import merge_papers
from sitegen.preview.stopping import STOP_SIGNALS
from sitegen.speed.gcpause import gc_paused


def print_diagnostics(report: Diagnostics) -> None:
    for diagnostic in report.sorted():
        print(diagnostic, file=sys.stderr)


def outcome(report: Diagnostics, strict: bool) -> int:
    if report.failed(strict):
        if not report.errors:
            print(f"failed: {len(report.warnings)} warning(s) and --strict is on", file=sys.stderr)
        return 1
    return 0


def cmd_parse(args: argparse.Namespace) -> int:
    report = Diagnostics()
    files = listing_files(args.paths or [args.content], report)
    with gc_paused():  # the collector policy of a build (build.py): many objects, no cycles
        listings = read_listings(files, report)
        papers = merge_papers(listings, report)
    if args.json:
        out = sys.stdout
        for paper in papers:
            out.write(json.dumps(paper.to_json(), ensure_ascii=False, sort_keys=True))
            out.write("\n")
    print_diagnostics(report)
    blocks = sum(len(listing.entries) for listing in listings)
    dated = sum(1 for paper in papers if paper.date)
    print(
        f"parsed {len(listings)} listing(s): {blocks} paper blocks, {len(papers)} papers "
        f"({dated} dated, {len(papers) - dated} undated); "
        f"{len(report.warnings)} warning(s), {len(report.errors)} error(s)",
        file=sys.stderr,
    )
    return outcome(report, args.strict)


def progress_printer(enabled: bool):
    if not enabled:
        return None
    return lambda message: print(message, file=sys.stderr, flush=True)


def stop_like_ctrl_c() -> None:
    """`kill` and a closed terminal stop a build or the preview the way Ctrl-C does (workers ended, staging
    folder removed); so does Ctrl-C where the shell started sitegen ignoring it (`nohup sitegen serve &`)."""
    for stop in STOP_SIGNALS:
        signal.signal(stop, signal.default_int_handler)


def cmd_build(args: argparse.Namespace) -> int:
    stop_like_ctrl_c()
    options = BuildOptions(content_dir=args.content, out_dir=args.out, base_url=args.base_url, strict=args.strict,
                           search=not args.no_search)
    try:
        result = cached_build(options, cache_dir(args), progress_printer(sys.stderr.isatty() or args.verbose), log)
    except BuildError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic, file=sys.stderr)
        print(f"build failed; {args.out} was left as it was", file=sys.stderr)
        return 1
    print_diagnostics(result.report)
    print(result.summary(), file=sys.stderr)
    print(f"output in {args.out}/; preview it with: sitegen serve --content {args.content}", file=sys.stderr)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    if not args.content.is_dir():
        print(f"{args.content}: error: content folder not found; pass --content DIR", file=sys.stderr)
        return 1
    from sitegen.check.site_check import check  # each command imports what only it needs: `build` starts sooner

    result = check(args.content, args.base_url)
    print_diagnostics(result.report)
    print(result.summary(), file=sys.stderr)
    return outcome(result.report, args.strict)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def cmd_serve(args: argparse.Namespace) -> int:
    if not args.content.is_dir():
        print(f"{args.content}: error: content folder not found; pass --content DIR", file=sys.stderr)
        return 1
    stop_like_ctrl_c()
    try:
        from sitegen.preview.session import serve

        serve(args.content, args.host, args.port, args.out, log)
    except BuildError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    print("stopped", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sitegen", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=help)
        sub.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                         help="content folder (default: content)")
        return sub

    parse = command("parse", "parse listing dumps and report papers and problems")
    parse.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                       help="listing files or content folders (default: the content folder)")
    parse.add_argument("--json", action="store_true", help="print one JSON object per paper on stdout")
    parse.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    parse.set_defaults(run=cmd_parse)

    build_cmd = command("build", "build the static site")
    build_cmd.add_argument("--out", type=Path, default=Path("public"), metavar="DIR",
                           help="output folder, replaced atomically (default: public)")
    build_cmd.add_argument("--base-url", metavar="URL",
                           help="absolute URL the site is served from, may carry a path (default: from site.toml)")
    build_cmd.add_argument("--strict", action="store_true", help="fail on warnings too")
    build_cmd.add_argument("--no-search", action="store_true",
                           help="skip the search index for a quicker build (the search page then says so)")
    add_cache_arguments(build_cmd)  # sitegen/cache/command.py
    build_cmd.add_argument("-v", "--verbose", action="store_true", help="show progress even when not on a terminal")
    build_cmd.set_defaults(run=cmd_build, quick_exit=True)

    check_cmd = command("check", "check the content without building a site to deploy: parse warnings, "
                                 "output collisions, broken links")
    check_cmd.add_argument("--base-url", metavar="URL", help="check links as served from URL (default: from site.toml)")
    check_cmd.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    check_cmd.set_defaults(run=cmd_check)

    serve_cmd = command("serve", "build, serve and rebuild on every change, reloading open pages")
    serve_cmd.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    serve_cmd.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    serve_cmd.add_argument("--out", type=Path, metavar="DIR",
                           help="build into DIR and keep it (default: a temporary folder, removed on exit)")
    serve_cmd.set_defaults(run=cmd_serve)

    add_arguments(command("add", ADD_SUMMARY))  # sitegen/add/command.py
    return parser


def main(argv: list[str] | None = None) -> int:
    return run(build_parser().parse_args(argv))


def entry() -> None:
    """The `sitegen` program. When a build returns, its site is in place and
    its staging folder gone, and nothing else runs: it ends without the
    interpreter's teardown, which frees every object one by one (a tenth of a
    second at 10,000 papers, after the work is done)."""
    args = build_parser().parse_args()
    code = run(args)
    if getattr(args, "quick_exit", False):
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except OSError:  # a closed pipe: nothing more can be said there
                pass
        os._exit(code)
    sys.exit(code)


def run(args: argparse.Namespace) -> int:
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
