"""The pathway read model: what lists, work queues, transfers and verification read.

Collections: `pathways` (one document per person: summary fields, bucket keys, and the
whole folded state as one JSON string), `transfers` (outgoing ones from the pathway state,
incoming ones from the inbox streams) and `attestations` (by number, for the public
verification). Every document is a pure function of one stream at one version, so the
web process writes it right after its own append (read-your-writes), the worker
rewrites it from the store after each published event (repairing a crash between
append and write), and a replay rebuilds exactly the same documents. A document never
goes back to an older version (checked before writing; a lost race is repaired by the
worker's next pass).

Lists and work queues without scanning (FerretDB 1.24 on PostgreSQL). Measured on the
local launcher: an equality filter is served by an index, but FerretDB then decodes
*every matching document* in Go before sorting and limiting (`find(eq).sort().limit(50)`
costs as much as returning all matches; limit is only pushed down without a filter), and
`count_documents` decodes them too. So a page must be built from equality queries whose
*matched sets* are small whatever the size of the collection. Each pathway document
carries `b`, an array of bucket keys (one multikey index), each key a node of an ordered
tree, and the collection `pathway_counts` holds how many documents carry each key: for
the list trees one small document per node (with its parent key, so the children of a
node are one equality query), for the trees of the work queues one document per tree
holding all its counts as one JSON string (`GROUPS`: a page reads every count it needs
in one query, and goes down any number of levels for free):

* `ls/<status|*>/<eligibility|*>` > 1st character of the person id > first 2: the list,
  in person-id order, for each filter combination;
* `dq` > deadline year > month > week of the month > day: followed pathways (open, no valid attestation)
  with a deadline, in (deadline, person id) order — the deadline work queues (a window
  of 30/60/90 days is a range of day keys) and past-deadline / non-compliance. Beside
  it, not counted (their counts are their days'), `dq+:<week>|<day>` holds a week's
  pathways from that day on and `dq-:<week>|<day>` those up to it: the part of today's
  week in a window, and the days of the week where a page ends, are one query each;
* `io` > deadline year > month > week > day (or `9999` > person-id prefixes, no deadline): the
  pathways with an interview due, in the work queues' order;
* `is` > year > month > week > day of the first day the interview is overdue (due date + 1),
  and flat keys `iox:<year | month | day>` covering the days a suspension hides an
  overdue interview: the overdue total without reading a document;
* an open-ended suspension stops the clock from its start, so from then on the deadline
  moves with today. `frozen_clock` tries each day up to the last suspension boundary:
  usually the days left stay constant from the start (tree `fb` > hundreds > days left:
  "within 30 days" is then rest 0..30 whatever today), or the deadline stays put (tree
  `fbd`, by deadline day), else `fx` (irregular: overlapping or planned suspensions;
  read on every page). Until its start the clock still runs, so such a pathway is also
  filed as a dated one (`dq`, `io`, `is` at the deadline it has until then, `before`),
  and `ioo` (by the day it starts hiding an overdue interview) counts it out of the
  overdue total from then on. A page skips each filing on the side of today that is not
  its own; `fs` > the start's year > month > week > day > where it is filed
  (`r<days left>`, `d<deadline>`, `q<deadline before>`) corrects the totals from the
  counts, so no such pathway is read unless it is on the page.

A page walks a tree in order: a node is fetched whole with one equality query (and
sorted in Python) or split into its children, whichever costs less for the documents
the page still wants (a query ≈ 1 ms, a returned document ≈ 0.15 ms; the counts are
known, so empty days cost nothing). Totals add counters. Every key is a pure
function of the state (never of today): "within 30 days of today" is a range of day keys
chosen at read time. Counters are kept by the writer: a document is replaced only if its
write counter is still the one read (compare-and-swap, `shared.store.documents.swap`,
atomic on MongoDB and on the local FerretDB with its guard trigger), and only the
winner adds the difference between the old and new keys (compare-and-swap on a node
document or on the tree document, retried by the loser). `recount()` rebuilds them from the documents
(after a replay, or to repair a crash between a write and its counters).

Measured (bench/bench_pathway.py, GET page 1 through the app, 10,000 pathways against
a centre of 100 showing the same 50 items; figures in the README): a work-queue page at
10,000 makes 3 to 5 queries returning 60 to 70 documents (the counts of its group, then
the buckets), against 2 or 3 queries and 55 to 57 documents at 100. It made 23 to 25
before the trees, 6 to 10 before the week's `dq+`/`dq-` nodes and the dated filing of
planned suspensions. The former full scan: 2.1 s vs 23 ms.
"""
from __future__ import annotations

import json
import zlib
from calendar import monthrange
from datetime import date, timedelta
from itertools import groupby
from typing import Any, Iterable, Iterator

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from shared.application import Loaded
from shared.store.commits import CommitStore
from shared.store.documents import CAS, get_many, put, put_many, swap
from shared.store.erasure import Tombstones

from services.pathway.domain import (EMPTY, PathwayState, effective_deadline, fold,
                                     next_interview_due)
from services.pathway.domain.clock import open_suspensions, suspended_periods
from services.pathway.domain.inbox import IncomingTransfer
from services.pathway.domain.records import iso

from . import state_codec
from .streams import fold_transfer, person_of


class ReadModel:
    def __init__(self, db: Database):
        self.pathways = db["pathways"]
        self.transfers = db["transfers"]
        self.attestations = db["attestations"]
        self.counts = db["pathway_counts"]
        self.erased = Tombstones(db["erased"])
        self.counting = True   # off during rebuild(), which recounts once at the end
        # each counter document as this process last wrote (or read) it: the next swap
        # starts from it without reading it again; a stale one fails and is read anew
        self._counters: dict[str, dict[str, Any]] = {}
        # each group's counts as last read, parsed and indexed by parent (see `group`)
        self._groups: dict[str, tuple[tuple[str, ...], dict[str, int],
                                      dict[str, list[tuple[str, int]]]]] = {}

    def ensure_indexes(self) -> None:
        self.pathways.create_index("status")
        self.pathways.create_index("eligibility")
        self.pathways.create_index("b")
        self.counts.create_index("parent")
        self.counts.create_index("g")
        self.transfers.create_index("direction")
        self.transfers.create_index("person_id")
        self.attestations.create_index("person_id")

    # -- writing ---------------------------------------------------------------
    def project_pathway(self, person_id: str, state: PathwayState, version: int) -> None:
        if state.status == "new":
            return
        if not self._write_pathway(pathway_doc(person_id, state, version)):
            return   # the person was erased: nothing of the pathway is shown again
        self._write(self.transfers, [outgoing_doc(person_id, t, version)
                                     for t in state.transfers])
        self._write(self.attestations, [attestation_doc(person_id, a, version)
                                        for a in state.attestations])

    def project_transfer(self, transfer_id: str, inbox: IncomingTransfer, version: int) -> None:
        if inbox.state != "new" and not (
                self.transfers.find_one({"_id": f"in:{transfer_id}"}, {"_id": 1}) is None
                and inbox.person_id in self.erased):
            self._write(self.transfers, [incoming_doc(inbox, version)])

    def erase(self, person_id: str) -> None:
        """`intake.PersonErased`: the pathway, its transfers and the link from its
        attestations to the person go (a number still verifies: centre, date, status,
        without initials); a tombstone keeps a later repair pass from writing them again."""
        self.erased.mark(person_id)
        current = self.pathways.find_one({"_id": person_id}, {"b": 1})
        if current is not None and self.pathways.delete_one({"_id": person_id}).deleted_count \
                and self.counting:
            self._count(current.get("b", []), -1)
        for doc in list(self.transfers.find({"person_id": person_id}, {"_id": 1})):
            self.transfers.delete_one({"_id": doc["_id"]})
        for doc in list(self.attestations.find({"person_id": person_id})):
            put(self.attestations, {**doc, "person_id": None, "holder_initials": None})

    def on_pathway_commit(self, person_id: str, loaded: Loaded[PathwayState]) -> None:
        """The pathway repository's hook: read-your-writes after the web's own append."""
        self.project_pathway(person_id, loaded.state, loaded.version)

    def on_transfer_commit(self, transfer_id: str, loaded: Loaded[IncomingTransfer]) -> None:
        self.project_transfer(transfer_id, loaded.state, loaded.version)

    @staticmethod
    def _write(collection, docs: list[dict[str, Any]]) -> None:
        """Each document by `_id` (no `$in`, no bulk write: both scan on FerretDB),
        never over a newer version."""
        current = get_many(collection, [d["_id"] for d in docs], {"version": 1})
        put_many(collection, [d for d in docs
                              if current.get(d["_id"], {}).get("version", 0) <= d["version"]])

    def _write_pathway(self, doc: dict[str, Any]) -> bool:
        """Compare-and-swap on the document's write counter (`documents.swap`), then the
        counters of the keys that changed (only by the writer whose swap succeeded: a
        duplicate write adds none). False for an erased person (checked only when the
        document does not exist)."""
        for _ in range(100):
            current = self.pathways.find_one({"_id": doc["_id"]}, {"version": 1, "b": 1, CAS: 1})
            if current is None and doc["_id"] in self.erased:
                return False
            if current is not None and (current["version"] > doc["version"] or (
                    current["version"] == doc["version"] and current.get("b") == doc["b"])):
                return True   # newer, or the same document (a pure function of the version)
            # absent, older, or the same version with other keys (an older release's)
            if not swap(self.pathways, current, doc):
                continue      # someone else moved it on: read again
            old = current.get("b", []) if current else []
            if self.counting:
                self._count(set(doc["b"]) - set(old), 1)
                self._count(set(old) - set(doc["b"]), -1)
            return True
        raise RuntimeError(f"pathway {doc['_id']}: 100 writers in a row won the race")

    def _count(self, keys: Iterable[str], by: int) -> None:
        """The list trees: one document per node. The trees the work queues read
        (`GROUPS`): one document per tree with all its counts (see `GROUPS`). Each by
        compare-and-swap (`documents.swap`): no `$inc`, which FerretDB applies to what it
        read, so concurrent increments of one node were lost."""
        grouped: dict[str, dict[str, int]] = {}
        for key in sorted(keys):
            tree = tree_of(key)
            if tree in UNCOUNTED:
                continue
            if tree in GROUPS_OF:
                grouped.setdefault(tree, {})[key] = by
                continue
            self._swap_counter(key, lambda doc, key=key: {
                "_id": key, "n": (doc["n"] if doc else 0) + by, "parent": parent_of(key)})
        for tree, deltas in grouped.items():
            self._count_tree(tree, deltas)

    def _count_tree(self, tree: str, deltas: dict[str, int]) -> None:
        """One compare-and-swap of the tree document (no `$inc` into a string): a writer
        that lost the race reads again and reapplies its differences."""
        def apply(doc: dict[str, Any] | None) -> dict[str, Any]:
            counts = tree_counts_of(doc)
            for key, by in deltas.items():
                n = counts.get(key, 0) + by
                if n:
                    counts[key] = n
                else:
                    counts.pop(key)
            return tree_doc(tree, counts)
        self._swap_counter(TREE_DOC + tree, apply)

    def _swap_counter(self, doc_id: str, change) -> None:
        """`change(current) -> new` applied by compare-and-swap, from the document as
        this process last saw it (one write when nobody else wrote it meanwhile)."""
        doc = self._counters.get(doc_id)
        if doc is None:
            doc = self.counts.find_one({"_id": doc_id})
        for _ in range(100):
            written = swap(self.counts, doc, change(doc))
            if written is not None:
                self._counters[doc_id] = written
                return
            doc = self.counts.find_one({"_id": doc_id})
        self._counters.pop(doc_id, None)
        raise RuntimeError(f"counter {doc_id}: 100 writers in a row won the race")

    def recount(self) -> int:
        """Rebuild `pathway_counts` from the documents (a scan: replay and repair only)."""
        totals: dict[str, int] = {}
        for doc in self.pathways.find({}, {"b": 1}):
            for key in doc.get("b", []):
                totals[key] = totals.get(key, 0) + 1
        trees: dict[str, dict[str, int]] = {tree: {} for tree in GROUPS_OF}
        counters: dict[str, dict[str, Any]] = {}
        for key, n in totals.items():
            if tree_of(key) in UNCOUNTED:
                continue
            if tree_of(key) in GROUPS_OF:
                trees[tree_of(key)][key] = n
            else:
                counters[key] = {"_id": key, "n": n, "parent": parent_of(key)}
        counters.update((TREE_DOC + tree, tree_doc(tree, counts))
                        for tree, counts in trees.items())
        for old in list(self.counts.find({}, {"_id": 1})):
            if old["_id"] not in counters:
                self.counts.delete_one({"_id": old["_id"]})
        self._counters.clear()
        for doc_id, doc in counters.items():
            while not swap(self.counts, self.counts.find_one({"_id": doc_id}), doc):
                pass      # a writer counted meanwhile: the repair wins, from the documents
        return len(totals)

    def refresh(self, store: CommitStore, stream_id: str) -> None:
        """Rewrite one stream's documents from the store (the worker's repair pass)."""
        self._project_stream(stream_id, store.load(stream_id).commits)

    def rebuild(self, store: CommitStore) -> int:
        """Project every stream of `store` (replay into an empty read model), then count."""
        count = 0
        self.counting = False
        try:
            for stream_id, commits in groupby(store.read_all(), key=lambda c: c.stream_id):
                self._project_stream(stream_id, list(commits))
                count += 1
        finally:
            self.counting = True
        self.recount()
        return count

    def _project_stream(self, stream_id: str, commits: list) -> None:
        if not commits:
            return
        events = [e for c in commits for e in c.events]
        person = person_of(stream_id)
        if person is not None:
            self.project_pathway(person, fold(events, EMPTY), commits[-1].version)
        elif stream_id.startswith("transfer-"):
            self.project_transfer(stream_id[len("transfer-"):], fold_transfer(events),
                                  commits[-1].version)

    # -- reading ---------------------------------------------------------------
    def pathway_docs(self, **equal: Any) -> Iterator[dict[str, Any]]:
        query = {k: v for k, v in equal.items() if v is not None}
        return iter(self.pathways.find(query).sort("_id", 1))

    def states(self, **equal: Any) -> Iterator[tuple[dict[str, Any], PathwayState]]:
        for doc in self.pathway_docs(**equal):
            yield doc, doc_state(doc)

    def count(self, key: str) -> int:
        if tree_of(key) in GROUPS_OF:
            return self.tree_counts(tree_of(key)).get(key, 0)
        doc = self.counts.find_one({"_id": key})
        return doc["n"] if doc else 0

    def children(self, key: str) -> list[tuple[str, int]]:
        """The non-empty child nodes of `key`, in key order, with their counts."""
        if tree_of(key) in GROUPS_OF:
            return children_of(self.tree_counts(tree_of(key))).get(key, [])
        return sorted((d["_id"], d["n"]) for d in self.counts.find({"parent": key})
                      if d["n"] > 0)

    def tree_counts(self, tree: str) -> dict[str, int]:
        """Every count of a tree of `GROUPS` (one document)."""
        return tree_counts_of(self.counts.find_one({"_id": TREE_DOC + tree}))

    def group(self, name: str) -> tuple[dict[str, int], dict[str, list[tuple[str, int]]]]:
        """Every count of every tree of a group (`GROUPS`), in one query, and the non-empty
        children of each node. Parsed and indexed again only when a tree's counts changed
        since the last read (comparing the strings costs far less than parsing ≈40 KB and
        indexing 2,400 nodes on every page at 10,000 pathways). Callers must not modify
        what it returns."""
        docs = list(self.counts.find({"g": name}).sort("_id", 1))
        strings = tuple(d.get(PACKED) or d.get("s") for d in docs)
        cached = self._groups.get(name)
        if cached is not None and cached[0] == strings:
            return cached[1], cached[2]
        counts: dict[str, int] = {}
        for doc in docs:
            counts.update(tree_counts_of(doc))
        entry = (strings, counts, children_of(counts))
        self._groups[name] = entry
        return entry[1], entry[2]

    def roots(self) -> dict[str, int]:
        """The size of every list tree (one query on small documents)."""
        return {d["_id"]: d["n"] for d in self.counts.find({"parent": ROOT})}

    def bucket(self, key: str) -> list[dict[str, Any]]:
        """The documents carrying `key` (one equality query on the multikey index)."""
        return list(self.pathways.find({"b": key}))

    def transfer_docs(self, direction: str) -> list[dict[str, Any]]:
        return list(self.transfers.find({"direction": direction}).sort("_id", 1))

    def transfer_doc(self, direction: str, transfer_id: str) -> dict[str, Any] | None:
        return self.transfers.find_one({"_id": f"{direction}:{transfer_id}"})

    def attestation(self, number: str) -> dict[str, Any] | None:
        return self.attestations.find_one({"_id": number})

    def documents(self) -> Iterable[tuple[str, dict[str, Any]]]:
        """Every document, for comparisons (replay tests)."""
        for coll in (self.pathways, self.transfers, self.attestations):
            for doc in coll.find().sort("_id", 1):
                yield coll.name, {k: v for k, v in doc.items() if k != CAS}  # how many writes


def pathway_doc(person_id: str, state: PathwayState, version: int) -> dict[str, Any]:
    floating = state.status == "open" and bool(open_suspensions(state))
    dated = effective_deadline(state, _ANY_DAY)      # the deadline until a suspension starts
    deadline = None if floating else dated
    frozen = frozen_clock(state) if floating else None
    if frozen is not None and dated is not None:
        frozen["before"] = iso(dated)
    return {"_id": person_id, "version": version, "person_id": person_id,
            "pseudonym": state.pseudonym, "centre": state.centre, "status": state.status,
            "eligibility": state.eligibility_status, "opened_on": iso(state.opened_on),
            "forwarded_to": state.forwarded_to, "deadline": iso(deadline),
            **({"frozen": frozen} if frozen else {}),
            "b": bucket_keys(person_id, state, frozen, deadline),
            "state": json.dumps(state_codec.encode(state), separators=(",", ":"),
                                sort_keys=True)}


def doc_state(doc: dict[str, Any]) -> PathwayState:
    """The folded state stored in a pathway document. Stored as one JSON string: FerretDB
    returns such a document ≈7 times faster than with the state as nested fields
    (100 documents: 13 ms against 91 ms), and a page returns whole documents."""
    stored = doc["state"]
    return state_codec.decode(json.loads(stored) if isinstance(stored, str) else stored)


def frozen_clock(state: PathwayState) -> dict[str, Any]:
    """An open-ended suspension: from its start (`from`) the clock is stopped, so the
    deadline moves with today. Found by trying every day up to the last suspension
    boundary (afterwards nothing changes any more): either the days left stay the same
    (`rest`), or the deadline does (`deadline`: the suspension began after it), or
    neither (`irregular`: overlapping or planned suspensions; read on every page)."""
    start = min(s.start for s in open_suspensions(state))
    out: dict[str, Any] = {"from": iso(start)}
    if not (state.status == "open" and not state.has_valid_attestation
            and effective_deadline(state, start) is not None):
        return out
    last = max([start] + [d for s in state.suspensions for d in (s.start, s.end) if d])
    days = [start + timedelta(days=k) for k in range((last - start).days + 2)]
    deadlines = [effective_deadline(state, day) for day in days]
    rests = {(dl - day).days for dl, day in zip(deadlines, days)}
    if len(rests) == 1 and min(rests) >= 0:
        out["rest"] = rests.pop()
    elif len(set(deadlines)) == 1:
        out["deadline"] = iso(deadlines[0])
    else:
        out["irregular"] = True
    return out


def rest_parts(rest: int) -> tuple[str, str]:
    return (f"{rest // 100:03d}", f"{rest:05d}")


# -- bucket keys (pure functions of the state; see the module docstring) -------------
_ANY_DAY = date(2000, 1, 1)
"""Without an open suspension the effective deadline does not depend on today."""
NO_DEADLINE = "9999"
STOPPED_REST, STOPPED_FIXED, DATED = "r", "d", "q"
"""The children of a leaf of `fs` (the day a suspension starts): where its pathways are
filed, `r<days left>` in `fb`, `d<deadline>` in `fbd`, `q<deadline before it>` in `dq`."""


def path_keys(tree: str, parts: Iterable[str]) -> list[str]:
    """`tree`, `tree:a`, `tree:a|b`, ...: a node and all its ancestors."""
    parts = list(parts)
    return [tree] + [f"{tree}:{'|'.join(parts[:k])}" for k in range(1, len(parts) + 1)]


ROOT = "/"
"""The parent of every tree's root counter: all of them in one query."""


def parent_of(key: str) -> str | None:
    tree, sep, path = key.partition(":")
    if not sep:
        return ROOT
    if tree == "iox":
        return None
    return f"{tree}:{path.rsplit('|', 1)[0]}" if "|" in path else tree


GROUPS = {"dated": ("dq", "fb", "fbd", "fs", "fx"),
          "interviews": ("io", "is", "iox", "ioo", "fx")}
"""The trees a work-queue page reads together: every count of a tree is one document
(`#<tree>`, group `g`, the counts as one JSON string), so a page reads all the counts
of its trees in one query. One string, not a field per node: FerretDB returns a string
about as fast as a number, a document of many fields in a time that grows faster than
their number (measured: 1,000 fields ≈ 7 times one string of the same counts)."""
GROUPS_OF = {tree: tuple(name for name, trees in GROUPS.items() if tree in trees)
             for trees in GROUPS.values() for tree in trees}
"""`fx` (read by every queue) is in both groups: a page reads the counts of one."""
TREE_DOC = "#"
PACKED = "z"
"""A tree document's counts, JSON compressed with zlib (level 1: ≈0.1 ms for 1,600
counts): a page reads 4–5 times fewer bytes (FerretDB returned the 97 KB of the
interview trees' counts at 10,000 pathways in ≈2.6 ms, a few KB in ≈0.4 ms)."""


def tree_of(key: str) -> str:
    return key.partition(":")[0]


def tree_doc(tree: str, counts: dict[str, int]) -> dict[str, Any]:
    groups = GROUPS_OF[tree]
    return {"_id": TREE_DOC + tree, "g": groups[0] if len(groups) == 1 else list(groups),
            PACKED: zlib.compress(json.dumps(counts, separators=(",", ":"),
                                              sort_keys=True).encode(), 1)}


def tree_counts_of(doc: dict[str, Any] | None) -> dict[str, int]:
    """The counts a tree document holds: JSON compressed with zlib (`z`), or a JSON
    string (`s`) as written before."""
    if doc is None:
        return {}
    return json.loads(zlib.decompress(doc[PACKED]) if PACKED in doc else doc["s"])


def children_of(counts: dict[str, int]) -> dict[str, list[tuple[str, int]]]:
    """The non-empty children of every node, from a tree's counts."""
    out: dict[str, list[tuple[str, int]]] = {}
    for key, n in counts.items():
        parent = parent_of(key)
        if n > 0 and parent not in (None, ROOT):
            out.setdefault(parent, []).append((key, n))
    for kids in out.values():
        kids.sort()
    return out


def parts_of(key: str) -> tuple[str, ...]:
    return tuple(key.partition(":")[2].split("|")) if ":" in key else ()


def day_parts(day: date) -> tuple[str, str, str, str]:
    """Year > month > week of the month (days 1-7, 8-14, ...: "1" to "5") > day."""
    return (f"{day.year:04d}", f"{day.month:02d}", str((day.day - 1) // 7 + 1),
            f"{day.day:02d}")


SUFFIX = {"dq": "dq+"}
"""A deadline window starts today, mostly inside a week: `dq+:<year|month|week|day>`
holds the pathways of that week whose deadline day is that day or a later one, so the
part of today's week in the window is one query (not one a day, nor the whole week with
its days gone by). Not counted: its counts are those of the days it holds."""
PREFIX = {"dq": "dq-", "io": "io-"}
"""And `dq-:<year|month|week|day>` the pathways of that week up to that day (`io-` the
same in the interview tree's dated part): where a page ends inside a week, the part it
shows is one query (not a day each, nor the whole week)."""
UNCOUNTED = set(SUFFIX.values()) | set(PREFIX.values())


def suffix_keys(parts: tuple[str, str, str, str]) -> list[str]:
    """The `dq+` keys of a deadline day: one for each day of its week up to it, from the
    second (from the first day on, it is the week's own key)."""
    year, month, week, day = parts
    first = (int(week) - 1) * 7 + 1
    return [f"{SUFFIX['dq']}:{year}|{month}|{week}|{k:02d}"
            for k in range(first + 1, int(day) + 1)]


def prefix_keys(tree: str, parts: tuple[str, str, str, str]) -> list[str]:
    """The `PREFIX` keys of a deadline day: one for each day of its week from it on, but
    the week's last (up to it, it is the week's own key)."""
    year, month, week, day = parts
    last = min(int(week) * 7, monthrange(int(year), int(month))[1])
    return [f"{PREFIX[tree]}:{year}|{month}|{week}|{k:02d}" for k in range(int(day), last)]


def id_parts(person_id: str) -> tuple[str, str]:
    return (person_id[:1], person_id[:2])


def cover(start: date, end: date) -> list[str]:
    """[start, end) as disjoint whole years, whole months and days ("2026", "2026-07",
    "2026-06-10"): a day is in the period iff exactly one of its three keys is listed."""
    out, day = [], start
    while day < end:
        next_year = date(day.year + 1, 1, 1)
        next_month = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        if day.month == 1 and day.day == 1 and next_year <= end:
            out.append(f"{day.year:04d}")
            day = next_year
        elif day.day == 1 and next_month <= end:
            out.append(day.isoformat()[:7])
            day = next_month
        else:
            out.append(day.isoformat())
            day += timedelta(days=1)
    return out


def day_keys(day: date) -> tuple[str, str, str]:
    """The three keys of `cover` one of which names a period containing `day`."""
    return (f"{day.year:04d}", day.isoformat()[:7], day.isoformat())


def bucket_keys(person_id: str, state: PathwayState, frozen: dict[str, Any] | None,
                deadline: date | None) -> list[str]:
    keys: list[str] = []
    for s in (state.status, "*"):
        for e in (state.eligibility_status, "*"):
            keys += path_keys(f"ls/{s}/{e}", id_parts(person_id))
    start = None
    if frozen is not None:
        # stopped from `start`: by days left (`fb`), by fixed deadline (`fbd`) or
        # irregular (`fx`, read on every page); before `start`, a dated pathway, filed
        # as such below; `fs` counts both filings by the day the suspension starts
        start = date.fromisoformat(frozen["from"])
        keys += path_keys("fs", day_parts(start))
        leaf = f"fs:{'|'.join(day_parts(start))}"
        if frozen.get("irregular"):
            keys.append("fx")
            return sorted(set(keys))
        if "rest" in frozen:
            keys += path_keys("fb", rest_parts(frozen["rest"]))
            keys.append(f"{leaf}|{STOPPED_REST}{frozen['rest']:05d}")
        elif "deadline" in frozen:
            keys += path_keys("fbd", day_parts(date.fromisoformat(frozen["deadline"])))
            keys.append(f"{leaf}|{STOPPED_FIXED}{frozen['deadline']}")
        if "rest" in frozen or "deadline" in frozen:     # followed, with a deadline
            deadline = date.fromisoformat(frozen["before"])
            keys.append(f"{leaf}|{DATED}{frozen['before']}")
    followed = state.status == "open" and not state.has_valid_attestation
    if followed and deadline is not None:
        day = day_parts(deadline)
        keys += path_keys("dq", day) + suffix_keys(day) + prefix_keys("dq", day)
    due = next_interview_due(state)
    if due is not None:
        dated = frozen.get("before") if frozen is not None else iso(deadline)
        if dated:
            day = day_parts(date.fromisoformat(dated))
            keys += path_keys("io", day) + prefix_keys("io", day)
        else:
            keys += path_keys("io", (NO_DEADLINE,) + id_parts(person_id))
        overdue_from = due + timedelta(days=1)
        keys += path_keys("is", day_parts(overdue_from))
        # closed suspensions here; with an open-ended one they all end before it starts
        # (one that ends later makes the clock irregular: `fx`, returned above)
        for begin, end in suspended_periods(state, _ANY_DAY):
            begin = max(begin, overdue_from)
            if begin < end:
                keys += [f"iox:{k}" for k in cover(begin, end)]
        if start is not None:       # hidden from then on, however long the suspension
            keys += path_keys("ioo", day_parts(max(start, overdue_from)))
    return sorted(set(keys))


def outgoing_doc(person_id: str, t, version: int) -> dict[str, Any]:
    return {"_id": f"out:{t.transfer_id}", "version": version, "direction": "out",
            "transfer_id": t.transfer_id, "person_id": person_id,
            "from_centre": t.from_centre, "to_centre": t.to_centre, "trigger": t.trigger,
            "proposed_on": iso(t.proposed_on), "state": t.state,
            "closed_on": iso(t.closed_on), "reason": t.reason}


def incoming_doc(inbox: IncomingTransfer, version: int) -> dict[str, Any]:
    return {"_id": f"in:{inbox.transfer_id}", "version": version, "direction": "in",
            "transfer_id": inbox.transfer_id, "person_id": inbox.person_id,
            "from_centre": inbox.from_centre, "to_centre": inbox.to_centre,
            "trigger": inbox.trigger, "proposed_on": iso(inbox.proposed_on),
            "recorded_on": iso(inbox.recorded_on), "preview": inbox.preview,
            "state": inbox.state, "answered_on": iso(inbox.answered_on),
            "reason": inbox.reason, "closed_on": iso(inbox.closed_on)}


def attestation_doc(person_id: str, a, version: int) -> dict[str, Any]:
    return {"_id": a.number, "version": version, "number": a.number,
            "person_id": person_id, "centre": a.centre, "issued_on": iso(a.issued_on),
            "holder_initials": a.holder_initials,
            "status": "valid" if a.valid else "revoked", "revoked_on": iso(a.revoked_on),
            "revocation_reason": a.revocation_reason}
