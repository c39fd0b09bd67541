"""Pages of the pathway list and of the work queues without scanning the read model.

The read model (adapters/read_model.py) files each pathway under ordered bucket keys
(trees of year > month > day, or of person-id prefixes) and counts them. A page walks a
tree in order and stops once it has `page * page_size` items: a node with at most
`BUCKET` documents is one equality query (sorted here), a bigger one is split into its
non-empty children (from the counters). So a page costs about its own documents plus a
few small queries, however many pathways the centre follows; it grows with the page
number (no skip on FerretDB), hence `MAX_PAGE`. The domain's predicates still decide:
every candidate is checked on its decoded state with today's date, so the trees only
have to hold a superset in the right order.

* list (`GET /pathways`, person-id order): tree `ls/<status|*>/<eligibility|*>`, total
  = its counter; nodes before the page are skipped by their counts, unread.
* deadlines within 30/60/90 days, past deadline, non-compliance: tree `dq`, the range
  of deadline days [today, today+N] or up to yesterday; total from the counters.
* interviews overdue: tree `io` in (deadline, person id) order, each candidate checked
  (the overdue day is another axis than the order, so this walk reads the candidates
  in front of the page that are not overdue); total = counters of `is` (overdue from
  a day up to today) minus `iox` (hidden by a suspension today).
* pathways with an open-ended suspension (bucket `fl`: their deadline moves every
  day) are read and checked on every queue page, merged in order.
The list filtered by a work queue (`?queue=`) is in person-id order, not in the queue's
order: it reads every member of the queue (not the whole collection) and sorts them.
"""
from __future__ import annotations

import heapq
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import islice
from typing import Any, Callable, Iterator

from services.pathway.adapters import state_codec
from services.pathway.adapters.read_model import (ReadModel, day_keys, day_parts,
                                                  parts_of)
from services.pathway.domain import PathwayState, effective_deadline

from .views import QUEUES as PREDICATES, summary

BUCKET = 60
"""A node with at most this many documents is read whole (one equality query)."""
MAX_PAGE = 500
"""Pages beyond this are refused (422): a page costs in proportion to its number."""

Parts = tuple[str, ...]


def _before(parts: Parts, bound: Parts | None) -> bool:
    return bound is not None and parts < bound[:len(parts)]


def _after(parts: Parts, bound: Parts | None) -> bool:
    return bound is not None and parts > bound[:len(parts)]


def _inside(parts: Parts, lo: Parts | None, hi: Parts | None) -> bool:
    k = len(parts)
    return ((lo is None or parts > lo[:k] or (parts == lo[:k] and k >= len(lo)))
            and (hi is None or parts < hi[:k] or (parts == hi[:k] and k >= len(hi))))


def _deadline_parts(doc: dict[str, Any]) -> Parts:
    return day_parts(date.fromisoformat(doc["deadline"])) if doc.get("deadline") else ()


def queue_order(doc: dict[str, Any]) -> tuple[str, str]:
    return (doc.get("deadline") or "9999", doc["_id"])


def walk(rm: ReadModel, tree: str, *, lo: Parts | None = None, hi: Parts | None = None,
         order: Callable[[dict], Any] = queue_order,
         leaf_parts: Callable[[dict], Parts] = _deadline_parts,
         skip: list[int] | None = None) -> Iterator[dict[str, Any]]:
    """The documents of `tree` in `order`, only those whose leaf lies in [lo, hi].
    `skip` ([n], decremented): whole nodes before it are passed over by their count."""
    def go(key: str, parts: Parts, n: int) -> Iterator[dict[str, Any]]:
        if n <= 0 or _before(parts, lo) or _after(parts, hi):
            return
        inside = _inside(parts, lo, hi)
        if skip is not None and inside and n <= skip[0]:
            skip[0] -= n
            return
        kids = rm.children(key) if n > BUCKET else []
        if not kids:
            docs = rm.bucket(key)
            if not inside:
                docs = [d for d in docs if _inside(leaf_parts(d), lo, hi)]
            docs.sort(key=order)
            if skip is not None:
                dropped, skip[0] = min(skip[0], len(docs)), max(0, skip[0] - len(docs))
                docs = docs[dropped:]
            yield from docs
            return
        for kid, kn in kids:
            yield from go(kid, parts_of(kid), kn)
    yield from go(tree, (), rm.count(tree))


def range_count(rm: ReadModel, tree: str, lo: Parts | None, hi: Parts | None) -> int:
    """How many documents of `tree` have their leaf in [lo, hi], from the counters."""
    def go(key: str, parts: Parts, n: int) -> int:
        if n <= 0 or _before(parts, lo) or _after(parts, hi):
            return 0
        if _inside(parts, lo, hi):
            return n
        kids = rm.children(key)
        return sum(go(kid, parts_of(kid), kn) for kid, kn in kids) if kids else n
    return go(tree, (), rm.count(tree))


# -- the work queues -------------------------------------------------------------
@dataclass(frozen=True)
class Queue:
    """Where a queue's candidates are (tree, range of leaves for today) and its total;
    membership itself is the predicate of views.QUEUES."""
    tree: str
    window: Callable[[date], tuple[Parts | None, Parts | None]]
    total: Callable[[ReadModel, date], int]


def _deadline_queue(days: int) -> Queue:
    def window(today: date):
        return day_parts(today), day_parts(today + timedelta(days=days))
    return Queue("dq", window, lambda rm, today: range_count(rm, "dq", *window(today)))


def _past_deadline_queue() -> Queue:
    def window(today: date):
        return None, day_parts(today - timedelta(days=1))
    return Queue("dq", window, lambda rm, today: range_count(rm, "dq", *window(today)))


def _overdue_total(rm: ReadModel, today: date) -> int:
    overdue = range_count(rm, "is", None, day_parts(today))
    hidden = sum(rm.count(f"iox:{k}") for k in day_keys(today))
    return overdue - hidden


QUEUES: dict[str, Queue] = {
    "interviews-overdue": Queue("io", lambda today: (None, None), _overdue_total),
    "deadline-30": _deadline_queue(30),
    "deadline-60": _deadline_queue(60),
    "deadline-90": _deadline_queue(90),
    "past-deadline": _past_deadline_queue(),
    # a deadline exists only for obligated people: the same candidates as past-deadline
    "non-compliance": _past_deadline_queue(),
}
assert set(QUEUES) == set(PREDICATES), "every list filter needs its candidates"


def _checked(docs, keep, today) -> Iterator[tuple[dict, PathwayState]]:
    for doc in docs:
        state = state_codec.decode(doc["state"])
        if keep(state, today):
            yield doc, state


def members(rm: ReadModel, name: str, today: date, limit: int | None = None
            ) -> tuple[list[tuple[dict, PathwayState]], int]:
    """The first `limit` members of a queue (all if None) in (deadline, person id)
    order, and the queue's total."""
    q, keep = QUEUES[name], PREDICATES[name]
    lo, hi = q.window(today)
    floating = sorted(_checked(rm.bucket("fl"), keep, today),
                      key=lambda m: _floating_order(m, today))
    dated = _checked(walk(rm, q.tree, lo=lo, hi=hi), keep, today)
    merged = heapq.merge(((queue_order(doc), (doc, state)) for doc, state in dated),
                         ((_floating_order(m, today), m) for m in floating),
                         key=lambda pair: pair[0])
    merged = (m for _, m in merged)
    return list(islice(merged, limit)), q.total(rm, today) + len(floating)


def _floating_order(member: tuple[dict, PathwayState], today: date) -> tuple[str, str]:
    doc, state = member
    deadline = effective_deadline(state, today)   # moves with today: not stored
    return (deadline.isoformat() if deadline else "9999", doc["_id"])


def queue_page(rm: ReadModel, name: str, today: date, page_no: int, page_size: int,
               extra: Callable[[PathwayState], dict] = lambda state: {}) -> dict[str, Any]:
    start = (page_no - 1) * page_size
    found, total = members(rm, name, today, start + page_size)
    items = [{**summary(doc["person_id"], state, today), **extra(state)}
             for doc, state in found[start:]]
    return {"items": items, "total": total, "page": page_no, "page_size": page_size}


# -- the list --------------------------------------------------------------------
def list_page(rm: ReadModel, today: date, page_no: int, page_size: int, *,
              status: str | None = None, eligibility: str | None = None,
              queue: str | None = None) -> dict[str, Any]:
    start = (page_no - 1) * page_size
    if queue:
        found = sorted(((doc, state) for doc, state in members(rm, queue, today)[0]
                        if status in (None, doc["status"])
                        and eligibility in (None, doc["eligibility"])),
                       key=lambda m: m[0]["_id"])
        total, page = len(found), found[start:start + page_size]
    else:
        tree = f"ls/{status or '*'}/{eligibility or '*'}"
        docs = walk(rm, tree, order=lambda d: d["_id"], leaf_parts=lambda d: (),
                    skip=[start])
        page = [(doc, state_codec.decode(doc["state"]))
                for doc in islice(docs, page_size)]
        total = rm.count(tree)
    items = [summary(doc["person_id"], state, today) for doc, state in page]
    return {"items": items, "total": total, "page": page_no, "page_size": page_size}
