"""The one seam through which a build reuses earlier work: `build(options, reuse=...)`.

The pipeline's steps are pure functions of their inputs. A plain build runs
them as they are (`Fresh`). A caller that builds the same site again and
again hands `build()` a `Reuse`: each hook is given a pipeline function and
returns one with the same signature that gives the same result, made from
remembered parts where the inputs are unchanged. `sitegen serve` keeps its
memos in memory (preview/incremental.py); a build cache on disk, keyed by
content hashes, is one more implementation of the same hooks.

So the pipeline imports nothing of any implementation, and the output of a
build never depends on which one it was given. The output hooks (`update`,
`unchanged`, `committed`) are where an implementation may skip writing pages
and files whose inputs it has seen made; they report what they did in `Output`,
which the build passes on in its `BuildResult`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from jinja2 import Environment

from sitegen.assemble.site import Site
from sitegen.core.diagnostics import Diagnostics
from sitegen.core.models import Listing, Paper
from sitegen.plan.outputs import PlannedFile
from sitegen.plan.planner import Assets, Plan, PlannedPage
from sitegen.plan.urls import Urls
from sitegen.read.content import Content
from sitegen.write.writer import Staging


class Mode(enum.Enum):
    """How closely a rebuild must match a clean build."""

    EXACT = "exact"  # byte for byte what a clean build writes
    # May show the related papers of the last exact build (new or edited papers show none), and
    # trusts that the output folder still holds what the last build wrote; an exact build follows.
    QUICK = "quick"


Parse = Callable[[bytes, Path, Diagnostics], Listing | None]
Merge = Callable[[list[Listing], Diagnostics], list[Paper]]
Assemble = Callable[[Content, list[Paper], Diagnostics], Site]
PlanSite = Callable[[Site, Urls, Assets], Plan]
MakeEnvironment = Callable[[Path], Environment]
# search/index.py's index_shards: (shards of pages, record_of, site folder, language, services) -> records indexed
IndexShards = Callable[..., int]


@dataclass(frozen=True)
class Output:
    """What writing the output did, for the caller (a preview reloads pages only if anything was written)."""

    written: int  # files written or removed
    reused: int  # pages not rendered: linked from the last output or left in place
    in_place: bool  # the last output was updated where it is (no staging folder, nothing replaced)


class Reuse(Protocol):
    def parse(self, parse: Parse) -> Parse: ...

    def merge(self, merge: Merge) -> Merge: ...

    def assemble(self, assemble: Assemble, mode: Mode) -> Assemble: ...

    def plan(self, plan: PlanSite) -> PlanSite: ...

    def environment(self, make: MakeEnvironment) -> MakeEnvironment: ...

    def index(self, index_shards: IndexShards) -> IndexShards:
        """How the search bundles are written (a cache may copy a bundle whose records it has indexed)."""
        ...

    def exact(self) -> bool:
        """Whether the site last assembled is what a clean build assembles (a quick one may not be)."""
        ...

    def update(self, plan: Plan, templates_dir: Path, env: Environment, statics: dict[str, bytes], out_dir: Path,
               mode: Mode) -> Output | None:
        """Bring the last output up to date where it is; None (nothing done) where it cannot."""
        ...

    def unchanged(self, plan: Plan, templates_dir: Path, staging: Staging) -> tuple[list[PlannedPage], list[PlannedFile]]:
        """Put every page and file whose inputs were made before into `staging`; return those still to make."""
        ...

    def committed(self, plan: Plan) -> None:
        """The staging folder was swapped in: the pages of `plan` are now the output's."""
        ...


class Fresh:
    """A plain build: every step runs afresh, nothing is kept."""

    def parse(self, parse: Parse) -> Parse:
        return parse

    def merge(self, merge: Merge) -> Merge:
        return merge

    def assemble(self, assemble: Assemble, mode: Mode) -> Assemble:
        return assemble

    def plan(self, plan: PlanSite) -> PlanSite:
        return plan

    def environment(self, make: MakeEnvironment) -> MakeEnvironment:
        return make

    def index(self, index_shards: IndexShards) -> IndexShards:
        return index_shards

    def exact(self) -> bool:
        return True

    def update(self, plan: Plan, templates_dir: Path, env: Environment, statics: dict[str, bytes], out_dir: Path,
               mode: Mode) -> Output | None:
        return None

    def unchanged(self, plan: Plan, templates_dir: Path, staging: Staging) -> tuple[list[PlannedPage], list[PlannedFile]]:
        return plan.pages, plan.files

    def committed(self, plan: Plan) -> None:
        pass
