"""The preview's rebuilds in process, two checkouts alternated: quick and exact rebuild phases after each edit.

    TMPDIR=/dev/shm .venv/bin/python bench/preview_ab.py --before /tmp/before [--after .] [--papers 10000] [--edits 4] [--rounds 2]

`--before` is another checkout of sitegen (say `git worktree add /tmp/before main~1`).
Each round, for each checkout (which goes first alternates), a process started in
that checkout (so it imports that checkout's sitegen) builds a fresh copy of the
reference archive as `sitegen serve` does (bench/serve_bench.py's `phases`: one
MemoryReuse, no search index), then adds a paper to a listing `--edits` times,
each followed by a quick rebuild and the exact one after it. Prints each
rebuild's wall seconds and phases: what serve_bench.py's server log shows,
without the watcher and the browser's event stream, so two checkouts compare
within minutes.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.reference import write_content  # noqa: E402

RUN = """
import json, shutil, sys, time
from pathlib import Path
from sitegen.build import BuildOptions, build
from sitegen.preview.incremental import MemoryReuse
from sitegen.reuse import Mode
content, edits = Path(sys.argv[1]), int(sys.argv[2])
options = BuildOptions(content_dir=content, out_dir=content.parent / "out", base_url="http://127.0.0.1:8000/",
                       search=False, keep_replaced=True)
cache = MemoryReuse()
build(options, reuse=cache)
listings = sorted((content / "listings").glob("*.txt"))
for number in range(edits):
    with open(listings[number * 11 % len(listings)], "ab") as handle:
        handle.write((f"\\n\\nPreview Benchmark Paper {number} On Sparse Kernels\\n\\nWe present paper {number}. "
                      "It improves accuracy on sparse kernels with a simple method.\\n\\n  • 4 authors\\n·\\nMar 3 7\\n").encode())
    for mode in (Mode.QUICK, Mode.EXACT):
        start = time.perf_counter()
        result = build(options, reuse=cache, mode=mode)
        print(json.dumps({"mode": mode.value, "wall": time.perf_counter() - start, "timings": result.timings,
                          "written": result.output.written}), flush=True)
        if result.replaced is not None:
            shutil.rmtree(result.replaced)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="another checkout of sitegen")
    parser.add_argument("--after", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=4, help="papers added, one rebuild pair each")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    checkouts = {"before": args.before.resolve(), "after": args.after.resolve()}
    with tempfile.TemporaryDirectory(prefix="preview-ab-") as temp:
        source = write_content(Path(temp) / "source", args.papers)
        print("| round | checkout | edit | rebuild | wall s | phases (ms) | files written |\n|---|---|---|---|---:|---|---:|")
        for number in range(1, args.rounds + 1):
            for name in ("before", "after") if number % 2 else ("after", "before"):
                work = Path(temp) / name
                shutil.rmtree(work, ignore_errors=True)
                content = shutil.copytree(source, work / "content")
                done = subprocess.run([sys.executable, "-c", RUN, str(content), str(args.edits)], cwd=checkouts[name],
                                      capture_output=True, text=True)  # `-c` imports from its working folder first
                if done.returncode:
                    raise SystemExit(done.stderr)
                for index, line in enumerate(done.stdout.splitlines()):
                    measured = json.loads(line)
                    phases = ", ".join(f"{phase} {seconds * 1000:.0f}" for phase, seconds in measured["timings"].items())
                    print(f"| {number} | {name} | {index // 2 + 1} | {measured['mode']} | {measured['wall']:.2f} | "
                          f"{phases} | {measured['written']} |", flush=True)


if __name__ == "__main__":
    main()
