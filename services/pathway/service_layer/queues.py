"""Pages of the pathway list and of the work queues without scanning the read model.

The read model (adapters/read_model.py) files each pathway under ordered bucket keys
(trees of year > month > week > day, or of person-id prefixes) and counts them. A page
walks a tree in order and stops once it has `page * page_size` items: each node is read
whole (one equality query, sorted here) or split into its non-empty children, whichever
costs less for what the page still wants (`DOC`; a node above `BUCKET` is always split);
the counts of a work queue's trees come in one query (read_model.GROUPS), and a node
whose counts hold nothing in the window is not read. A queue merges several sources
(the dated tree, the stopped clocks below): each is read only once the merge reaches its
first non-empty leaf in the window, known from the counts. So a page
costs about its own documents plus a few small queries, however many pathways the
centre follows; it grows with the page number (no skip on FerretDB), hence `MAX_PAGE`.
The domain's predicates still decide: every candidate is checked on its decoded state
with today's date, so the trees only have to hold a superset in the right order.

* list (`GET /pathways`, person-id order): tree `ls/<status|*>/<eligibility|*>`, total
  = its counter; nodes before the page are skipped by their counts, unread.
* deadlines within 30/60/90 days, past deadline, non-compliance: tree `dq`, the range
  of deadline days [today, today+N] or up to yesterday; total from the counters.
* interviews overdue: tree `io` in (deadline, person id) order, each candidate checked
  (the overdue day is another axis than the order, so this walk reads the candidates
  in front of the page that are not overdue); total = counters of `is` (overdue from
  a day up to today) minus `iox` (hidden by a suspension today) and `ioo` (by an
  open-ended one).
* pathways with an open-ended suspension (their deadline moves with today once it has
  begun): trees `fb` (days left while stopped: constant) and `fbd` (deadline fixed),
  same windows; before it begins they are read from `dq`/`io`, where they are filed as
  dated too (each source skips the filing on the other side of today; the totals are
  corrected from the counts of `fs`); the irregular ones (`fx`) are read and checked one
  by one. All sources are merged in the queue's order; a stopped-clock source plans its
  reads for what it holds before the page's end, known from the dated tree's counts.
* inside a week: the part of today's week in a window is one `dq+` query, the days up to
  where the page ends one `dq-` query (read_model.SUFFIX, PREFIX).
The list filtered by a work queue (`?queue=`) is in person-id order, not in the queue's
order: it reads every member of the queue (not the whole collection) and sorts them.
"""
from __future__ import annotations

import heapq
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import islice
from typing import Any, Callable, Iterator

from services.pathway.adapters.read_model import (DATED, GROUPS_OF, NO_DEADLINE,
                                                  PREFIX, STOPPED_FIXED, STOPPED_REST, SUFFIX,
                                                  ReadModel, day_keys, day_parts, doc_state,
                                                  parts_of, rest_parts, tree_of)
from services.pathway.domain import PathwayState, effective_deadline

from .views import QUEUES as PREDICATES, summary
from shared.web.paging import MAX_PAGE  # pages beyond are refused (422)

BUCKET = 60
"""A node with more documents than this is never read whole (one equality query):
FerretDB decodes each document it returns."""
DOC = 0.35
"""What returning one document costs, in queries. Measured on the launcher's FerretDB
(2026-12-02, bucket reads of a 10,000-pathway read model): a query ≈0.35–0.45 ms, each
document it returns ≈0.12 ms more in the store and ≈0.03 ms in Python (the state is one
string, see read_model.doc_state; FerretDB decodes every field, the bucket array
included). 0.15, the former guess, read whole nodes and threw most of them away: the
30-day page at 10,000 against the same page at 100 went from 1.84–2.04 to 1.68 in
alternating tuning rounds (bench_pathway.py: 1.97 to 1.83, the other queues within the
noise); 0.6 split too much (1.76–1.80). A walk reads a node whole or splits
it into its children, whichever costs less for what it still wants."""

Parts = tuple[str, ...]
LEAF_DEPTH = {"ls": 2, "dq": 4, "io": 4, "is": 4, "ioo": 4, "fs": 5, "fb": 2, "fbd": 4,
              "fx": 0}
"""How many levels below the root each tree of read_model.bucket_keys has."""


def _before(parts: Parts, bound: Parts | None) -> bool:
    return bound is not None and parts < bound[:len(parts)]


def _after(parts: Parts, bound: Parts | None) -> bool:
    return bound is not None and parts > bound[:len(parts)]


def _inside(parts: Parts, lo: Parts | None, hi: Parts | None) -> bool:
    k = len(parts)
    return ((lo is None or parts > lo[:k] or (parts == lo[:k] and k >= len(lo)))
            and (hi is None or parts < hi[:k] or (parts == hi[:k] and k >= len(hi))))


def _dated(doc: dict[str, Any]) -> str | None:
    """Where a document is filed in the dated trees: its deadline, or for a clock that
    an open-ended suspension will stop, the deadline until then."""
    return doc.get("deadline") or doc.get("frozen", {}).get("before")


def _deadline_parts(doc: dict[str, Any]) -> Parts:
    dated = _dated(doc)
    return day_parts(date.fromisoformat(dated)) if dated else ()


def queue_order(doc: dict[str, Any]) -> tuple[str, str]:
    return (_dated(doc) or "9999", doc["_id"])


def _stopped(doc: dict[str, Any], today: date) -> bool | None:
    """None: no open-ended suspension; True: it has begun (the clock stands still);
    False: it begins after today (a dated pathway until then)."""
    frozen = doc.get("frozen")
    return None if frozen is None else frozen["from"] <= today.isoformat()


def _frozen_filed(rm: ReadModel, today: date, started: bool) -> dict[str, list[str]]:
    """From the counts of `fs`: where the pathways whose open-ended suspension has begun
    by today (`started`) or begins after it are filed, by kind (read_model.DATED,
    STOPPED_REST, STOPPED_FIXED), one entry per pathway."""
    today_parts = day_parts(today)
    out: dict[str, list[str]] = {DATED: [], STOPPED_REST: [], STOPPED_FIXED: []}

    def go(key: str, parts: Parts, n: int) -> None:
        if n <= 0 or (started and _after(parts, today_parts)) or (
                not started and (_before(parts, today_parts) or (
                    len(parts) == 4 and parts == today_parts))):
            return
        for kid, kn in rm.children(key):
            if len(parts) == 4:
                where = kid.rsplit("|", 1)[1]
                out[where[:1]].extend([where[1:]] * kn)
            else:
                go(kid, parts_of(kid), kn)
    go("fs", (), rm.count("fs"))
    return out


def walk(rm: ReadModel, tree: str, *, lo: Parts | None = None, hi: Parts | None = None,
         order: Callable[[dict], Any] = queue_order,
         leaf_parts: Callable[[dict], Parts] = _deadline_parts,
         skip: list[int] | None = None, want: int | None = None
         ) -> Iterator[dict[str, Any]]:
    """The documents of `tree` in `order`, only those whose leaf lies in [lo, hi].
    `skip` ([n], decremented): whole nodes before it are passed over by their count.
    `want`: about how many the caller will take (what the cost of a split is for).
    The counts come from the counters (`rm` is a _Memo: one query per tree)."""
    left = [want]
    depth = LEAF_DEPTH[tree.split("/")[0]]
    plans: dict[str, float] = {}
    suffix_tree, prefix_tree = SUFFIX.get(tree), PREFIX.get(tree)

    def readable(key: str, parts: Parts, n: int) -> tuple[str, int]:
        """What one query reads of this node: the node, or for a node of leaves that
        `lo` cuts, its leaves from lo's on (`read_model.SUFFIX`) when they are fewer."""
        if (suffix_tree is None or lo is None or len(parts) != depth - 1
                or len(lo) < depth or lo[:len(parts)] != parts):
            return key, n
        from_leaf = lo[depth - 1]
        held = sum(kn for kid, kn in rm.children(key) if parts_of(kid)[-1] >= from_leaf)
        return (f"{suffix_tree}:{'|'.join(lo)}", held) if held < n else (key, n)

    def prefix(key: str, parts: Parts, need: int | None) -> tuple[str, int, int] | None:
        """For a node of leaves whose documents in range reach `need` before its last
        leaf: the node of its leaves up to there (`read_model.PREFIX`), how many it
        holds and how many of the node's leaves it covers."""
        if prefix_tree is None or need is None or need <= 0 or len(parts) != depth - 1:
            return None
        got = held = 0
        kids = rm.children(key)
        for i, (kid, kn) in enumerate(kids[:-1]):
            held += kn
            kp = parts_of(kid)
            if _inside(kp, lo, hi):
                got += kn
                if got >= need:
                    return f"{prefix_tree}:{'|'.join(kp)}", held, i + 1
        return None

    def kids_of(key: str, parts: Parts) -> list[tuple[str, Parts, int]]:
        if len(parts) == depth:
            return []
        return [(kid, kp, kn) for kid, kn in rm.children(key)
                for kp in [parts_of(kid)] if not (_before(kp, lo) or _after(kp, hi))]

    def cost(key: str, parts: Parts, n: int, need: int | None, sk: int) -> float:
        """The cheapest way to get `need` documents of the range (None: all) from this
        node, after passing over `sk` of them."""
        if need is None and key in plans:
            return plans[key]
        kids = kids_of(key, parts)
        n = readable(key, parts, n)[1]
        best = 1 + DOC * n if n <= BUCKET or not kids else float("inf")
        if kids:
            best = min(best, split_cost(kids, need, sk))
        if need is None:
            plans[key] = best
        return best

    def split_cost(kids, need: int | None, sk: int) -> float:
        total = 0.0
        for kid, kp, kn in kids:
            inside = _inside(kp, lo, hi)
            if inside and kn <= sk:
                sk -= kn
                continue
            total += cost(kid, kp, kn, need, sk)
            useful = kn if inside else range_count(rm, kid, lo, hi, kp, kn)
            got, sk = max(0, useful - sk), max(0, sk - useful)
            if need is not None:
                need -= got
                if need <= 0:
                    break
        return total

    def go(key: str, parts: Parts, n: int) -> Iterator[dict[str, Any]]:
        if n <= 0 or _before(parts, lo) or _after(parts, hi):
            return
        inside = _inside(parts, lo, hi)
        if skip is not None and inside and n <= skip[0]:
            skip[0] -= n
            return
        if not inside and range_count(rm, key, lo, hi, parts, n) == 0:
            return     # the counts say none of its documents lies in [lo, hi]: unread
        read, n = (key, n) if inside else readable(key, parts, n)
        cut = prefix(key, parts, left[0])
        splittable = n > BUCKET or DOC * n > 1                          # else cannot pay
        kids = kids_of(key, parts) if splittable else []
        sk = skip[0] if skip is not None else 0
        whole = 1 + DOC * n if n <= BUCKET else float("inf")
        part = 1 + DOC * cut[1] if cut is not None and cut[1] <= BUCKET else float("inf")
        if kids and split_cost(kids, left[0], sk) < min(whole, part):
            for kid, kp, kn in kids:
                yield from go(kid, kp, kn)
            return
        if cut is not None and part < whole:    # the leaves up to the page's end, then
            yield from emit(rm.bucket(cut[0]), inside=False)    # the others if wanted
            for kid, kn in rm.children(key)[cut[2]:]:
                yield from go(kid, parts_of(kid), kn)
            return
        yield from emit(rm.bucket(read), inside)

    def emit(docs: list[dict[str, Any]], inside: bool) -> Iterator[dict[str, Any]]:
        if not inside:
            docs = [d for d in docs if _inside(leaf_parts(d), lo, hi)]
        docs.sort(key=order)
        if skip is not None:
            dropped, skip[0] = min(skip[0], len(docs)), max(0, skip[0] - len(docs))
            docs = docs[dropped:]
        for doc in docs:
            if left[0] is not None:
                left[0] -= 1
            yield doc
    yield from go(tree, (), rm.count(tree))


def range_count(rm: ReadModel, key: str, lo: Parts | None, hi: Parts | None,
                parts: Parts = (), n: int | None = None) -> int:
    """How many documents of the node `key` (a tree by default) have their leaf in
    [lo, hi], from the counters."""
    def go(key: str, parts: Parts, n: int) -> int:
        if n <= 0 or _before(parts, lo) or _after(parts, hi):
            return 0
        if _inside(parts, lo, hi):
            return n
        kids = rm.children(key)
        return sum(go(kid, parts_of(kid), kn) for kid, kn in kids) if kids else n
    return go(key, parts, rm.count(key) if n is None else n)


def nth_leaf(rm: ReadModel, tree: str, lo: Parts | None, hi: Parts | None, n: int
             ) -> Parts | None:
    """The leaf of `tree` at which the documents in [lo, hi] reach `n`, from the counters,
    or None (fewer): where a page of `n` from this tree alone would end."""
    depth = LEAF_DEPTH[tree.split("/")[0]]
    left = [n]

    def go(key: str, parts: Parts, count: int) -> Parts | None:
        if count <= 0 or _before(parts, lo) or _after(parts, hi):
            return None
        kids = rm.children(key) if len(parts) < depth else []
        if not kids or (_inside(parts, lo, hi) and count < left[0]):
            left[0] -= count
            return parts if left[0] <= 0 else None
        for kid, kn in kids:
            found = go(kid, parts_of(kid), kn)
            if found is not None:
                return found
        return None
    return go(tree, (), rm.count(tree)) if n > 0 else None


def first_leaf(rm: ReadModel, tree: str, lo: Parts | None, hi: Parts | None
               ) -> Parts | None:
    """The first non-empty leaf of `tree` in [lo, hi], from the counters (no document
    read), or None: a lower bound of the order of what a walk of that range yields."""
    depth = LEAF_DEPTH[tree.split("/")[0]]

    def go(key: str, parts: Parts, n: int) -> Parts | None:
        if n <= 0 or _before(parts, lo) or _after(parts, hi):
            return None
        if len(parts) == depth:
            return parts
        kids = rm.children(key)
        if not kids:      # a node read whole: what it holds in range starts at lo at best
            return parts if lo is None else max(parts, lo)
        for kid, kn in kids:
            found = go(kid, parts_of(kid), kn)
            if found is not None:
                return found
        return None
    return go(tree, (), rm.count(tree))


# -- the work queues -------------------------------------------------------------
Window = Callable[[date], tuple[Parts | None, Parts | None]]


@dataclass(frozen=True)
class Queue:
    """Where a queue's candidates are, for today: a range of leaves of a tree of dated
    pathways (`tree`, `window`) with its total from counters (`total`), and for clocks
    stopped by an open-ended suspension a range of days left (`rest`, tree `fb`) and of
    fixed deadlines (`fixed`, tree `fbd`). Membership is the predicate of views.QUEUES."""
    tree: str
    window: Window
    total: Callable[[ReadModel, date], int]
    rest: Window | None = None
    fixed: Window | None = None


def _dated_total(window: Window) -> Callable[[ReadModel, date], int]:
    """The counts of `dq` in the window, less the pathways filed there whose clock an
    open-ended suspension has stopped by today (they count where they stand still)."""
    def total(rm: ReadModel, today: date) -> int:
        lo, hi = window(today)
        stopped = sum(1 for dated in _frozen_filed(rm, today, True)[DATED]
                      if _inside(day_parts(date.fromisoformat(dated)), lo, hi))
        return range_count(rm, "dq", lo, hi) - stopped
    return total


def _deadline_queue(days: int) -> Queue:
    def window(today: date):
        return day_parts(today), day_parts(today + timedelta(days=days))
    return Queue("dq", window, _dated_total(window),
                 rest=lambda today: (rest_parts(0), rest_parts(days)), fixed=window)


def _past_deadline_queue() -> Queue:
    def window(today: date):
        return None, day_parts(today - timedelta(days=1))
    return Queue("dq", window, _dated_total(window),
                 fixed=window)   # days left while stopped are never negative: no `rest`


def _overdue_total(rm: ReadModel, today: date) -> int:
    overdue = range_count(rm, "is", None, day_parts(today))
    hidden = sum(rm.count(f"iox:{k}") for k in day_keys(today))
    stopped = range_count(rm, "ioo", None, day_parts(today))   # open-ended suspensions
    return overdue - hidden - stopped


QUEUES: dict[str, Queue] = {
    # a stopped clock means suspended: no interview is overdue then (no `rest`/`fixed`)
    "interviews-overdue": Queue("io", lambda today: (None, None), _overdue_total),
    "deadline-30": _deadline_queue(30),
    "deadline-60": _deadline_queue(60),
    "deadline-90": _deadline_queue(90),
    "past-deadline": _past_deadline_queue(),
    # a deadline exists only for obligated people: the same candidates as past-deadline
    "non-compliance": _past_deadline_queue(),
}
assert set(QUEUES) == set(PREDICATES), "every list filter needs its candidates"

Member = tuple[dict[str, Any], PathwayState]


def _checked(docs, keep, today) -> Iterator[Member]:
    for doc in docs:
        state = doc_state(doc)
        if keep(state, today):
            yield doc, state


def _rest_leaf(doc: dict[str, Any]) -> Parts:
    return rest_parts(doc["frozen"]["rest"])


def _fixed_leaf(doc: dict[str, Any]) -> Parts:
    return day_parts(date.fromisoformat(doc["frozen"]["deadline"]))


class _Memo:
    """Counters read once per page: the sizes of the list trees in one query, every
    count of a group of trees (read_model.GROUPS: the dated trees, the interview trees)
    in one query (parsed only when it changed: ReadModel.group), so a walk and its total
    go down any number of levels for free."""
    def __init__(self, rm: ReadModel):
        self.rm = rm
        self._groups: dict[str, tuple[dict[str, int], dict[str, list[tuple[str, int]]]]] = {}
        self._children: dict[str, list[tuple[str, int]]] = {}
        self._roots: dict[str, int] | None = None

    def _group(self, tree: str):
        groups = GROUPS_OF.get(tree, ())
        for group in groups:
            if group in self._groups:
                return self._groups[group]
        if not groups:
            return None
        self._groups[groups[0]] = self.rm.group(groups[0])
        return self._groups[groups[0]]

    def preload(self, tree: str) -> None:
        """Read the counts of the group of `tree` now: the trees it shares with another
        group (`fx`) are then counted from it, not from a second query."""
        self._group(tree)

    def count(self, key: str) -> int:
        grouped = self._group(tree_of(key))
        if grouped is not None:
            return grouped[0].get(key, 0)
        if ":" not in key:
            if self._roots is None:
                self._roots = self.rm.roots()
            return self._roots.get(key, 0)
        return self.rm.count(key)

    def children(self, key: str) -> list[tuple[str, int]]:
        grouped = self._group(tree_of(key))
        if grouped is not None:
            return grouped[1].get(key, [])
        if key not in self._children:
            self._children[key] = self.rm.children(key)
        return self._children[key]

    def bucket(self, key: str) -> list[dict[str, Any]]:
        return self.rm.bucket(key)


def members(rm: ReadModel, name: str, today: date, limit: int | None = None
            ) -> tuple[list[Member], int]:
    """The first `limit` members of a queue (all if None) in (deadline, person id)
    order, and the queue's total."""
    rm = rm if isinstance(rm, _Memo) else _Memo(rm)  # type: ignore[assignment]
    q, keep = QUEUES[name], PREDICATES[name]
    rm.preload(q.tree)
    # Irregular stopped clocks: read and checked one by one.
    checked = sorted(((_true_order(m, today), m) for m in _checked(walk(rm, "fx"), keep,
                                                                   today)),
                     key=lambda pair: pair[0])
    lo, hi = q.window(today)
    want = None if limit is None else limit
    total = q.total(rm, today) + len(checked)
    # Each source: a lower bound of its order from the counts, and how to read it. A
    # source is read only once the merge reaches its bound (a full page stops before).
    # A pathway with an open-ended suspension is filed both as dated and as stopped:
    # each source skips it on the side of its start that is not its own.
    sources: list[tuple[tuple[str, str] | None, Callable[[], Iterator]]] = [
        (checked[0][0] if checked else None, lambda: iter(checked)),
        (_bound(first_leaf(rm, q.tree, lo, hi), _day_bound),
         lambda: _ordered(_checked((d for d in walk(rm, q.tree, lo=lo, hi=hi, want=want)
                                    if not _stopped(d, today)), keep, today),
                          queue_order))]
    stopped = []
    if q.rest is not None:
        stopped.append(("fb", q.rest(today), _rest_leaf,
                        lambda d: ((today + timedelta(days=d["frozen"]["rest"])).isoformat(),
                                   d["_id"]),
                        lambda parts: _rest_bound(parts, today),
                        STOPPED_REST, lambda rest: rest_parts(int(rest)),
                        lambda parts: rest_parts(max(0, (date.fromisoformat(
                            _day_bound(parts)) - today).days) + 6)))
    if q.fixed is not None:
        stopped.append(("fbd", q.fixed(today), _fixed_leaf,
                        lambda d: (d["frozen"]["deadline"], d["_id"]), _day_bound,
                        STOPPED_FIXED, lambda day: day_parts(date.fromisoformat(day)),
                        lambda parts: parts))
    # Where the page would end with the dated tree alone (from the counts): a stopped
    # clock is on the page only before that end, so what a walk of theirs expects to
    # take (`want`, what its reads are planned for) is what they hold up to there.
    end = None if limit is None or not stopped else nth_leaf(rm, q.tree, lo, hi, limit)
    planned = _frozen_filed(rm, today, False) if stopped else {}
    for tree, (s_lo, s_hi), leaf, order, bound, kind, where, upto in stopped:
        total += range_count(rm, tree, s_lo, s_hi) - sum(
            1 for w in planned[kind] if _inside(where(w), s_lo, s_hi))
        s_want = want if end is None else range_count(rm, tree, s_lo, min_bound(s_hi, upto(end)))

        def read(tree=tree, s_lo=s_lo, s_hi=s_hi, leaf=leaf, order=order, s_want=s_want):
            docs = (d for d in walk(rm, tree, lo=s_lo, hi=s_hi, order=order,
                                    leaf_parts=leaf, want=s_want)
                    if _stopped(d, today) is not False)
            return _ordered(_checked(docs, keep, today), order)
        sources.append((_bound(first_leaf(rm, tree, s_lo, s_hi), bound), read))
    return [m for _, m in islice(_merge(sources), limit)], total


def min_bound(bound: Parts | None, other: Parts) -> Parts:
    """The lower of two upper bounds, a node standing for its last leaf (None: none)."""
    if bound is None:
        return other
    k = min(len(bound), len(other))
    if other[:k] != bound[:k]:
        return other if other[:k] < bound[:k] else bound
    return other if len(other) >= len(bound) else bound


def _merge(sources: list[tuple[tuple[str, str] | None, Callable[[], Iterator]]]
           ) -> Iterator[tuple[tuple[str, str], Member]]:
    """heapq.merge of sources opened lazily: a source waits in the heap at its lower
    bound (None: empty) and is read only when that bound comes first."""
    heap: list[tuple[tuple[str, str], int, int, Any]] = [
        (bound, 0, i, None) for i, (bound, _) in enumerate(sources) if bound is not None]
    heapq.heapify(heap)
    opened: dict[int, Iterator] = {}
    while heap:
        key, is_item, i, member = heapq.heappop(heap)
        if is_item:
            yield key, member
        else:
            opened[i] = sources[i][1]()
        following = next(opened[i], None)
        if following is not None:
            heapq.heappush(heap, (following[0], 1, i, following[1]))


def _bound(parts: Parts | None, to_key: Callable[[Parts], str]) -> tuple[str, str] | None:
    return None if parts is None else (to_key(parts), "")


def _day_bound(parts: Parts) -> str:
    """The smallest deadline (ISO) a leaf or node of a dated tree can hold."""
    if not parts or parts[0] == NO_DEADLINE:
        return "".join(parts[:1])
    if len(parts) == 3:                        # year, month, week of the month
        return f"{parts[0]}-{parts[1]}-{(int(parts[2]) - 1) * 7 + 1:02d}"
    return "-".join(parts[:2] + parts[3:4])


def _rest_bound(parts: Parts, today: date) -> str:
    """The smallest deadline a node of tree `fb` (hundreds > days left) can hold."""
    if len(parts) > 1:
        rest = int(parts[1])            # a leaf: the days left
    elif parts:
        rest = int(parts[0]) * 100      # a hundreds node: its first day
    else:
        rest = 0                        # the root
    return (today + timedelta(days=rest)).isoformat()


def _ordered(found: Iterator[Member], order: Callable[[dict], tuple[str, str]]
             ) -> Iterator[tuple[tuple[str, str], Member]]:
    for doc, state in found:
        yield order(doc), (doc, state)


def _true_order(member: Member, today: date) -> tuple[str, str]:
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
    rm = _Memo(rm)  # type: ignore[assignment]
    if queue:
        found = sorted(((doc, state) for doc, state in members(rm, queue, today)[0]
                        if status in (None, doc["status"])
                        and eligibility in (None, doc["eligibility"])),
                       key=lambda m: m[0]["_id"])
        total, page = len(found), found[start:start + page_size]
    else:
        tree = f"ls/{status or '*'}/{eligibility or '*'}"
        docs = walk(rm, tree, order=lambda d: d["_id"], leaf_parts=lambda d: (),
                    skip=[start], want=page_size)
        page = [(doc, doc_state(doc))
                for doc in islice(docs, page_size)]
        total = rm.count(tree)
    items = [summary(doc["person_id"], state, today) for doc, state in page]
    return {"items": items, "total": total, "page": page_no, "page_size": page_size}
