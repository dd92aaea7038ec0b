"""Search bundles from the build cache: a bundle whose records are unchanged is copied, not re-indexed.

The build deals papers to bundles by date rank (search/index.py's `deal`),
and a bundle is a function of its records and the language alone (Pagefind
indexes what it is sent; the bundle's files do not name its folder). So each
bundle is kept under a hash of its position, the language and every record's
text, and a later build copies the bundles whose hash it finds and indexes
only the others, as many at once as the build's memory budget lets in.

Only Pagefind's `pf_meta` file and the entry file that names it differ from a
fresh index of the same records (Pagefind stamps them); the index chunks,
filters and fragments a reader's searches read are the same bytes.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from sitegen.cache.store import Store, digest
from sitegen.search.index import PARALLEL_SHARDS, SearchRecord, bundle_dir, index_bundle, link_bundles
from sitegen.write.writer import write_file

BUNDLES = "bundles"
T = TypeVar("T")


def bundle_key(number: int, language: str, records: Sequence[SearchRecord]) -> str:
    # Every field Pagefind is sent (SearchRecord.message), in order; json keeps each record's fields apart.
    return digest(b"bundle", str(number).encode(), language.encode(),
                  *(json.dumps([r.url, r.content, r.meta, r.filters, r.sort], sort_keys=True).encode() for r in records))


def bundle_files(bundle: Path) -> dict[str, bytes]:
    return {path.relative_to(bundle).as_posix(): path.read_bytes() for path in sorted(bundle.rglob("*"))
            if path.is_file()}


def put_back(files: dict[str, bytes], bundle: Path) -> None:
    for relative, data in files.items():
        target = bundle / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        write_file(target, data)


class CachedBundles:
    """The `index` hook of cache/disk.py's DiskReuse: counts what it copied in `hits` of `total`."""

    def __init__(self, store: Store):
        self.store, self.hits, self.total = store, 0, 0

    def index(self, shards: list[Sequence[T]], record_of: Callable[[T], SearchRecord], site_dir: Path, language: str,
              services: threading.Semaphore, niceness: int = 0) -> int:
        if not sum(map(len, shards)):
            return 0  # no bundle, as index_shards writes none
        # Records are made shard by shard and dropped once hashed (held all at once, 100,000 cost 200 MB);
        # a bundle indexed afresh makes its records again as its service takes them.
        keys = [bundle_key(number, language, [record_of(item) for item in shard]) for number, shard in enumerate(shards)]
        self.total = len(shards)
        missing = []
        for number, key in enumerate(keys):
            found = self.store.get(BUNDLES, key)
            if isinstance(found, dict):
                put_back(found, site_dir / bundle_dir(number))
                self.hits += 1
            else:
                missing.append(number)

        def index_shard(number: int) -> int:
            bundle = site_dir / bundle_dir(number)
            indexed = index_bundle(map(record_of, shards[number]), bundle, language, services, niceness)
            if indexed == len(shards[number]):  # link_bundles refuses the build otherwise: nothing to keep
                self.store.put(BUNDLES, keys[number], bundle_files(bundle))
            return indexed

        with ThreadPoolExecutor(max_workers=max(1, min(PARALLEL_SHARDS, len(missing)))) as pool:
            indexed = sum(pool.map(index_shard, missing))
        copied = sum(len(shards[number]) for number in range(len(shards)) if number not in missing)
        return link_bundles(shards, site_dir, indexed + copied)
