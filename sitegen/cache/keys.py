"""What a cache key is made of: a text that shows every field of a planned page's view, made quickly.

A page's key (cache/disk.py) hashes its template, meta and view. `repr()`
shows all of them, but rebuilds the text of every paper card again on every
page that lists it: a day, its week and month, each tag and each related-papers
list. `describe` writes the same fields once per object and reuses that text
for each further page that holds the same object, so a warm build's keys cost
a fraction of the reprs' time.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import hashlib
from itertools import repeat
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticSerializationError

Memo = dict[int, tuple[object, str]]  # id(object) -> (the object, kept alive so its id stays its own; its text)

PLAIN = frozenset({str, int, float, bool, type(None), bytes, dt.date})  # exact types: a repr shows all of them


class Unkeyable(Exception):
    """A value whose text does not show all of it: never cached."""


@functools.cache  # a pure function of the class
def shown_fields(kind: type) -> tuple[str, ...]:
    return tuple(field.name for field in dataclasses.fields(kind) if field.repr)


def describe(value: Any, memo: Memo) -> str:
    """Every field `repr()` shows, with the same objects described once per `memo` (which holds
    them alive: the memo must live no longer than the values it describes are unchanged).

    Dataclasses (frozen, all of the plan's views) and pydantic models are shown field by field;
    anything else must be a plain value whose repr shows all of it, or it is refused."""
    kind = type(value)
    if kind in PLAIN:
        return repr(value)
    if kind is tuple or kind is list:
        # An object described before (a card on a list page, most items) is looked up here, not in a call.
        return ("(" if kind is tuple else "[") + ",".join([
            repr(item) if type(item) in PLAIN else known[1] if (known := memo.get(id(item))) is not None
            else describe(item, memo) for item in value]) + ")"
    known = memo.get(id(value))
    if known is not None:
        return known[1]
    if dataclasses.is_dataclass(kind):
        fields = map(getattr, repeat(value), shown_fields(kind))
        # Plain fields (most of them) inline: a call per field would double the time.
        text = kind.__qualname__ + "(" + ",".join([
            repr(field) if type(field) in PLAIN else known[1] if (known := memo.get(id(field))) is not None
            else describe(field, memo) for field in fields]) + ")"
    elif isinstance(value, BaseModel):
        # Every field, nested models too, by pydantic's own serializer: five times quicker than field by field.
        try:
            text = kind.__qualname__ + value.model_dump_json()
        except PydanticSerializationError as exc:  # a field of a type JSON cannot show
            raise Unkeyable(str(exc)[:80]) from None
    elif isinstance(value, dict):
        text = "{" + ",".join(f"{describe(k, memo)}:{describe(v, memo)}" for k, v in value.items()) + "}"
    elif isinstance(value, (frozenset, set)):
        text = "{" + ",".join(sorted(describe(item, memo) for item in value)) + "}"
    else:
        text = repr(value)
        if " at 0x" in text:
            raise Unkeyable(text[:80])
    # The object stands in its holders' text by its digest: a day page of fifty cards is fifty digests long.
    text = "#" + hashlib.blake2b(text.encode(), digest_size=20).hexdigest()
    memo[id(value)] = (value, text)
    return text
