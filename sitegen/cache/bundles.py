"""Search bundles from the build cache: a bundle whose records are unchanged is copied, not re-indexed.

The build splits the papers into bundles by date (search/index.py's `chunk`),
so a new listing of the newest papers changes the newest bundle alone, and a
bundle is a function of its records and the language alone (Pagefind indexes
what it is sent; the bundle's files do not name its folder). So each bundle is
kept under a hash of its position, the language and every record's text, and a
later build copies the bundles whose hash it finds and indexes only the others,
as many at once as the build's memory budget lets in.

A bundle is kept as its folder (`DIR/bundles/`), its files hard links to the
output's, as pages are (store.py): put in place whole by a rename, so a
killed build leaves none half-kept. Its thousands of files are linked by
`cp -al`, a process of its own: linked from Python, on the index thread, each
file waited for the interpreter lock the rendering holds (5,000 files took
4.8 s at 10,000 papers).

Only Pagefind's `pf_meta` file and the entry file that names it differ from a
fresh index of the same records (Pagefind stamps them); the index chunks,
filters and fragments a reader's searches read are the same bytes.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import TypeVar

from sitegen.cache.store import BUNDLES, Store, digest
from sitegen.search.index import PARALLEL_SHARDS, SearchRecord, bundle_dir, index_bundle, link_bundles

T, U, V = TypeVar("T"), TypeVar("U"), TypeVar("V")


def bundle_key(number: int, language: str, records: Sequence[SearchRecord]) -> str:
    # Every field Pagefind is sent (SearchRecord.message), in order; json keeps each record's fields apart.
    return digest(b"bundle", str(number).encode(), language.encode(),
                  *(json.dumps([r.url, r.content, r.meta, r.filters, r.sort], sort_keys=True).encode() for r in records))


def inputs_bundle_key(number: int, language: str, inputs: Sequence[str]) -> str:
    """A bundle's key by the keys of what its records are made from (cache/paper_pages.py)."""
    return digest(b"bundle of inputs", str(number).encode(), language.encode(), *(key.encode() for key in inputs))


def copied(source: Path, target: Path) -> bool:
    """The folder `source` copied to `target` (which must not exist) as hard links, or as a copy across
    file systems; False (and nothing at `target`) where it cannot be."""
    for flags in ("-al", "-a"):  # links where they can be; GNU cp, else Python below
        try:
            if subprocess.run(["cp", flags, "--no-target-directory", str(source), str(target)],
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0:
                return True
        except OSError:
            break
        shutil.rmtree(target, ignore_errors=True)
    try:
        shutil.copytree(source, target, copy_function=os.link)
        return True
    except OSError:
        shutil.rmtree(target, ignore_errors=True)
        return False


def compose(outer: Callable[[U], V], inner: Callable[[T], U]) -> Callable[[T], V]:
    return lambda item: outer(inner(item))


class CachedBundles:
    """The `index` hook of cache/disk.py's DiskReuse: counts what it copied in `hits` of `total`."""

    def __init__(self, store: Store, inputs_of: Callable[[T], str | None], full: Callable[[T], T]):
        """`inputs_of` gives the key of what an item's record is made from where it is known, which then
        stands for the record (a bundle with an item of none is keyed by its records);
        `full` the item as `record_of` takes it (a paper page the cache planned as kept, made in full)."""
        self.store, self.hits, self.total = store, 0, 0
        self.inputs_of, self.full = inputs_of, full

    def key(self, number: int, language: str, shard: Sequence[T], record_of: Callable[[T], SearchRecord]) -> str:
        inputs = list(map(self.inputs_of, shard))
        if None not in inputs:
            return inputs_bundle_key(number, language, inputs)  # type: ignore[arg-type]
        return bundle_key(number, language, [record_of(item) for item in shard])

    def index(self, shards: list[Sequence[T]], record_of: Callable[[T], SearchRecord], site_dir: Path, language: str,
              services: threading.Semaphore, niceness: int = 0) -> int:
        if not sum(map(len, shards)):
            return 0  # no bundle, as index_shards writes none
        record_of = compose(record_of, self.full)
        # Records are made shard by shard and dropped once hashed (held all at once, 100,000 cost 200 MB);
        # a bundle indexed afresh makes its records again as its service takes them.
        keys = [self.key(number, language, shard, record_of) for number, shard in enumerate(shards)]
        self.total = len(shards)
        missing = []
        for number, key in enumerate(keys):
            kept = self.store.folder(BUNDLES, key)
            if kept is not None and copied(kept, site_dir / bundle_dir(number)):
                self.hits += 1
            else:
                missing.append(number)

        def index_shard(number: int) -> int:
            bundle = site_dir / bundle_dir(number)
            indexed = index_bundle(map(record_of, shards[number]), bundle, language, services, niceness)
            if indexed == len(shards[number]):  # link_bundles refuses the build otherwise: nothing to keep
                self.store.keep_folder(BUNDLES, keys[number], partial(copied, bundle))
            return indexed

        with ThreadPoolExecutor(max_workers=max(1, min(PARALLEL_SHARDS, len(missing)))) as pool:
            indexed = sum(pool.map(index_shard, missing))
        reused = sum(len(shards[number]) for number in range(len(shards)) if number not in missing)
        return link_bundles(shards, site_dir, indexed + reused)
