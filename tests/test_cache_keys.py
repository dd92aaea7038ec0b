"""What a cached page is keyed by (sitegen/cache/keys.py): every field a view shows, and nothing else."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from pydantic import BaseModel, ConfigDict

from sitegen.cache.keys import Unkeyable, describe
from sitegen.core.models import Org, Paper, SeenIn
from sitegen.plan.views import Link, PaperCard


def card(**changes):
    fields = dict(id="2410.00001", url="/papers/a/", title="A title", date_label="Oct 9, 2024", date_iso="2024-10-09",
                  upvotes=7, byline=Link("/orgs/x/", "X Lab"), tags=(Link("/tags/llm/", "LLM", 3),), excerpt="An excerpt")
    fields.update(changes)
    return PaperCard(**fields)


@pytest.mark.parametrize("change", [
    dict(title="Another title"), dict(upvotes=8), dict(upvotes=None), dict(date_iso=None),
    dict(byline=Link("/orgs/x/", "X Labs")), dict(tags=(Link("/tags/llm/", "LLM", 4),)), dict(tags=()),
    dict(excerpt="An excerpt."),
])
def test_any_shown_field_changes_the_description_even_deep_inside(change):
    page = ("list.html", (card(), card(id="2")))
    changed = ("list.html", (card(**change), card(id="2")))
    assert describe(page, {}) != describe(changed, {})


def test_equal_values_made_apart_are_described_alike_however_their_objects_are_shared():
    shared = card()
    one = (shared, shared, (shared,))
    other = (card(), card(), (card(),))
    assert describe(one, {}) == describe(other, {})


def test_one_memo_over_many_pages_describes_each_as_a_fresh_memo_would():
    cards = [card(id=str(n), title=f"Title {n}") for n in range(5)]
    pages = [tuple(cards[:n]) for n in range(1, 6)]
    memo = {}
    assert [describe(page, memo) for page in pages] == [describe(page, {}) for page in pages]


def test_a_field_a_repr_leaves_out_is_left_out_and_a_value_that_hides_its_contents_is_refused():
    @dataclasses.dataclass(frozen=True)
    class View:
        title: str
        scratch: int = dataclasses.field(default=0, repr=False)

    assert describe(View("x", 1), {}) == describe(View("x", 2), {})

    class Opaque:
        pass

    with pytest.raises(Unkeyable):
        describe(View(Opaque()), {})  # type: ignore[arg-type]


def paper(**changes):
    fields = dict(id="2410.00001", title="A title", abstract="An abstract.", date=dt.date(2024, 10, 9), upvotes=7,
                  authors=None, org=Org(handle="xlab", name="X Lab"), seen_in=(SeenIn(listing="2024-10-09", line=12),))
    fields.update(changes)
    return Paper(**fields)


@pytest.mark.parametrize("change", [
    dict(title="Another title"), dict(abstract="An abstract"), dict(date=dt.date(2024, 10, 10)), dict(date=None),
    dict(upvotes=None), dict(authors=3), dict(org=Org(handle="xlab", name="X Labs")), dict(org=None),
    dict(seen_in=(SeenIn(listing="2024-10-09", line=13),)), dict(seen_in=()),
])
def test_a_model_is_described_by_every_field_nested_models_too(change):
    assert describe((paper(), "x"), {}) != describe((paper(**change), "x"), {})
    assert describe(paper(), {}) == describe(paper(), {})  # made apart, described alike


def test_a_model_holding_a_value_json_cannot_show_is_refused():
    class Holder(BaseModel):
        model_config = ConfigDict(arbitrary_types_allowed=True)
        thing: object

    class Opaque:
        pass

    with pytest.raises(Unkeyable):
        describe(Holder(thing=Opaque()), {})
