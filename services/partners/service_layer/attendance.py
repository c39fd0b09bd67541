"""Recording attendance: one report (API) or a whole CSV file, row by row.

A partner reports for a referral to its own operator that holds (or held) a seat; the
report's id is the referral and the session's date, so the same report sent again — the
same file uploaded twice — changes nothing. The centre's coordination may also record
hours of a training outside the partners' offers, by person and training (the former
interface). The CSV is read as a stream: memory stays bounded whatever its length.
"""
from __future__ import annotations

import csv
import io
import shutil
import tempfile
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import IO, Any, Iterator

from shared.application import Loaded, execute
from shared.auth import Principal
from shared.errors import (CriError, DomainRuleViolation, Forbidden, NotFound, PayloadTooLarge,
                           ValidationFailed)
from shared.messages import DomainEvent
from shared.web.schema import RECORD_ID

from services.partners.bootstrap import PartnersServices
from services.partners.domain.attendance import (RecordAttendance, attendance_id,
                                                 decide_record_attendance)
from services.partners.domain.vocab import TRAININGS

from .access import require_followed, require_operator, scope

REPORTABLE = ("accepted", "started", "completed", "dropped_out")
MAX_LISTED_REJECTIONS = 1000
# One file holds at most this many rows (a month of a large operator is a few thousand;
# the benchmark's 50,000 take under a minute): a longer one is refused whole, before
# any row is applied, so that no upload holds a web worker for many minutes.
MAX_ROWS = 50_000
SPOOL_IN_MEMORY = 4 * 1024 * 1024     # a larger file is spooled to a temporary file
CHUNK, WORKERS = 256, 4


def _apply(svc: PartnersServices, command: RecordAttendance
           ) -> tuple[Loaded[list[DomainEvent]], bool]:
    decided: list[DomainEvent] = []

    def decide(loaded: Loaded[list[DomainEvent]]) -> list[DomainEvent]:
        decided[:] = decide_record_attendance(loaded.state, command, svc.today())
        return decided

    after = execute(svc.attendances, command.attendance_id, decide)
    return after, bool(decided)


class Referrals:
    """The referrals (and their offers' sessions) one request reports on, read once."""

    def __init__(self, svc: PartnersServices, who: Principal):
        self.svc, self.who = svc, who
        self._docs: dict[str, dict[str, Any]] = {}
        self._sessions: dict[str, set[str]] = {}

    def get(self, referral_id: str) -> dict[str, Any]:
        doc = self._docs.get(referral_id)
        if doc is None:
            doc = self.svc.read_model.get("referrals", referral_id)
            if doc is None:
                raise NotFound(f"orientation {shown(referral_id)} inconnue",
                               message_en=f"unknown referral {shown(referral_id)}")
            require_operator(self.who, doc["operator_id"])
            if len(self._docs) < 100_000:
                self._docs[referral_id] = doc
        return doc

    def sessions(self, offer_id: str) -> set[str]:
        if offer_id not in self._sessions:
            offer = self.svc.read_model.get("offers", offer_id) or {}
            self._sessions[offer_id] = {s["date"] for s in offer.get("sessions", [])}
        return self._sessions[offer_id]


def shown(value: str, limit: int = 40) -> str:
    """A value from the file, safe to repeat in a message: printable, short."""
    clean = "".join(c if c.isprintable() else "?" for c in value[:limit])
    return clean + ("…" if len(value) > limit else "")


def command_for(svc: PartnersServices, who: Principal, refs: Referrals,
                report: dict[str, Any]) -> RecordAttendance:
    present = report.get("present", True)
    common = dict(centre=svc.centre, hours=float(report["hours"]),
                  session_date=report["session_date"], present=present,
                  absence_reason=report.get("absence_reason"),
                  correction=bool(report.get("correction")))
    if report.get("referral_id"):
        doc = refs.get(report["referral_id"])
        if doc["status"] not in REPORTABLE:
            raise DomainRuleViolation(
                "aucune place n'est attribuée pour cette orientation : pas de présence à "
                "déclarer", message_en="this referral holds no seat")
        sessions = refs.sessions(doc["offer_id"])
        day = report["session_date"].isoformat()
        if sessions and day not in sessions:
            raise ValidationFailed(f"le {report['session_date']:%d/%m/%Y} n'est pas une "
                                   "séance de cette offre", message_en="not a session date",
                                   fields={"session_date": ["pas une séance de l'offre"]})
        return RecordAttendance(
            attendance_id=attendance_id(doc["referral_id"], report["session_date"]),
            person_id=doc["person_id"], operator_id=doc["operator_id"],
            training=doc["kind"] if doc["kind"] in TRAININGS else None,
            referral_id=doc["referral_id"], offer_id=doc["offer_id"],
            agreement_id=doc.get("agreement_id"), **common)
    if scope(who) is not None or not who.has("coordination"):
        raise Forbidden("un partenaire déclare ses présences pour une orientation "
                        "(referral_id)", message_en="partners report against a referral")
    missing = [k for k in ("attendance_id", "person_id", "training") if not report.get(k)]
    if missing:
        raise ValidationFailed("sans orientation, précisez " + ", ".join(missing),
                               message_en="without a referral: " + ", ".join(missing),
                               fields={k: ["requis sans orientation"] for k in missing})
    require_followed(svc, report["person_id"])
    return RecordAttendance(attendance_id=report["attendance_id"],
                            person_id=report["person_id"], training=report["training"],
                            operator_id=None, **common)


def record(svc: PartnersServices, who: Principal, report: dict[str, Any]
           ) -> tuple[Loaded[list[DomainEvent]], bool]:
    """The report's stream after the call, and whether this call changed it."""
    scope(who)
    return _apply(svc, command_for(svc, who, Referrals(svc, who), report))


# ---- CSV ----------------------------------------------------------------------------

def _key(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return plain.strip().lower().replace(" ", "_").replace("-", "_")


COLUMNS = {
    "referral_id": ("referral_id", "orientation", "reference", "ref_orientation"),
    "session_date": ("session_date", "date", "date_seance", "seance"),
    "hours": ("hours", "heures", "nb_heures", "nombre_d'heures"),
    "present": ("present", "presence", "presente"),
    "absence_reason": ("absence_reason", "motif", "motif_absence", "motif_d'absence"),
    "correction": ("correction",),
}
YES = {"oui", "o", "yes", "y", "1", "present", "presente", "vrai", "true", "x"}
NO = {"non", "n", "no", "0", "absent", "absente", "faux", "false", ""}
REASONS = {"justifiee": "justified", "justifie": "justified", "justified": "justified",
           "non_justifiee": "unjustified", "non_justifie": "unjustified",
           "injustifiee": "unjustified", "unjustified": "unjustified"}


class CsvProblem(ValidationFailed):
    """The file itself cannot be read (not a row): nothing was applied."""


def _text(stream: IO[bytes]) -> Iterator[str]:
    reader = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        yield from reader
    except UnicodeDecodeError:
        raise CsvProblem("le fichier n'est pas encodé en UTF-8 (dans Excel : « CSV UTF-8 »)",
                         message_en="the file is not UTF-8") from None
    finally:
        try:
            reader.detach()     # the stream stays open: the file is read twice
        except ValueError:      # already closed with the request
            pass


def _opened(stream: IO[bytes]) -> tuple[Iterator[str], str, dict[str, int]]:
    """The file's lines after its header, its delimiter and its columns."""
    lines = _text(stream)
    first = next(lines, None)
    if first is None:
        raise CsvProblem("le fichier est vide", message_en="the file is empty")
    return (lines, *_header(first))


def _header(first: str) -> tuple[str, dict[str, int]]:
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    names = [_key(n) for n in next(csv.reader([first], delimiter=delimiter))]
    index: dict[str, int] = {}
    for field, aliases in COLUMNS.items():
        for i, name in enumerate(names):
            if name in aliases:
                index[field] = i
                break
    missing = [f for f in ("referral_id", "session_date", "hours") if f not in index]
    if missing:
        raise CsvProblem("colonnes manquantes dans l'en-tête : " + ", ".join(missing) +
                         " (attendu : orientation;date;heures;presence;motif)",
                         message_en="missing columns: " + ", ".join(missing),
                         fields={"fichier": ["colonnes manquantes : " + ", ".join(missing)]})
    return delimiter, index


def _date(raw: str) -> date:
    raw = raw.strip()
    if "/" in raw:
        d, m, y = raw.split("/")
        return date(int(y), int(m), int(d))
    return date.fromisoformat(raw)


def _row(cells: list[str], index: dict[str, int]) -> dict[str, Any]:
    def cell(field: str) -> str:
        i = index.get(field)
        return cells[i].strip() if i is not None and i < len(cells) else ""

    problems = []
    report: dict[str, Any] = {"referral_id": cell("referral_id")}
    if not report["referral_id"]:
        problems.append("orientation manquante")
    elif not RECORD_ID.match(report["referral_id"]):
        # never looked up: no such referral exists, and a NUL byte would reach the store
        problems.append(f"orientation « {shown(report['referral_id'])} » illisible (lettres, "
                        "chiffres et . _ : - seulement)")
    try:
        report["session_date"] = _date(cell("session_date"))
    except (ValueError, TypeError):
        problems.append(f"date illisible « {shown(cell('session_date'))} » (JJ/MM/AAAA)")
    try:
        report["hours"] = float(cell("hours").replace(",", ".") or "0")
        if report["hours"] != report["hours"] or report["hours"] in (float("inf"), float("-inf")):
            raise ValueError
    except ValueError:
        problems.append(f"heures illisibles « {shown(cell('hours'))} »")
    presence = _key(cell("present")) if "present" in index else "oui"
    if presence in YES:
        report["present"] = True
    elif presence in NO:
        report["present"] = False
    else:
        problems.append(f"présence illisible « {shown(cell('present'))} » (oui ou non)")
    reason = _key(cell("absence_reason"))
    report["absence_reason"] = REASONS.get(reason) if reason else None
    if reason and report["absence_reason"] is None:
        problems.append("motif d'absence inconnu (justifiée ou non justifiée)")
    if report.get("present") is False and report["absence_reason"] is None and not reason:
        problems.append("motif d'absence requis")
    report["correction"] = _key(cell("correction")) in YES - {""}
    if problems:
        raise ValidationFailed(" ; ".join(problems), message_en="invalid row")
    return report


def _rows(lines: Iterator[str], delimiter: str) -> Iterator[tuple[int, list[str] | Exception]]:
    """(line number, cells or the reason the line cannot be read); blank lines skipped."""
    rows = csv.reader(lines, delimiter=delimiter)
    while True:
        line_no = rows.line_num + 2
        try:
            cells = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            yield line_no, ValidationFailed(_unreadable(exc), message_en=f"unreadable line: {exc}")
            continue
        if any(c.strip() for c in cells):
            yield line_no, cells


def _unreadable(exc: csv.Error) -> str:
    if "field limit" in str(exc):
        return f"ligne illisible (un champ dépasse {csv.field_size_limit() // 1024} Kio)"
    return "ligne illisible (guillemets ou séparateurs mal placés)"


def _chunks(items: Iterator, size: int) -> Iterator[list]:
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def upload(svc: PartnersServices, who: Principal, stream: IO[bytes]) -> dict[str, Any]:
    """Apply every good row once; list every rejected row with its line and reason.

    Rows are read in chunks of `CHUNK` (memory stays bounded) and each chunk's rows are
    applied by `WORKERS` threads: every row is its own stream, and each write waits on
    the store, so they overlap well; the report keeps the file's order. The file is
    spooled and read once first: a bad header or encoding (422) or more than `MAX_ROWS`
    rows (413) refuse it whole, before any row is applied."""
    scope(who)          # a partner account without an operator: 403 before reading
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as spool:
        shutil.copyfileobj(stream, spool)
        spool.seek(0)
        lines, delimiter, _ = _opened(spool)    # header and size first: nothing applied
        rows = sum(1 for _ in zip(range(MAX_ROWS + 1), _rows(lines, delimiter)))
        lines.close()
        if rows > MAX_ROWS:
            raise PayloadTooLarge(
                f"le fichier compte plus de {MAX_ROWS:,} lignes".replace(",", "\u202f") +
                " ; découpez-le en plusieurs fichiers (rien n'a été appliqué)",
                message_en=f"more than {MAX_ROWS} rows")
        spool.seek(0)
        return _upload(svc, who, *_opened(spool))


def _upload(svc: PartnersServices, who: Principal, lines: Iterator[str], delimiter: str,
            index: dict[str, int]) -> dict[str, Any]:
    refs = Referrals(svc, who)
    counts = {"rows": 0, "applied": 0, "unchanged": 0, "rejected": 0}
    rejected: list[dict[str, Any]] = []

    def one(item: tuple[int, list[str] | Exception]) -> tuple[int, bool | Exception]:
        line_no, cells = item
        try:
            if isinstance(cells, Exception):
                raise cells
            return line_no, _apply(svc, command_for(svc, who, refs, _row(cells, index)))[1]
        except (CriError, ValueError) as exc:
            return line_no, exc

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        for chunk in _chunks(_rows(lines, delimiter), CHUNK):
            for line_no, outcome in pool.map(one, chunk):
                counts["rows"] += 1
                if isinstance(outcome, Exception):
                    counts["rejected"] += 1
                    if len(rejected) < MAX_LISTED_REJECTIONS:
                        rejected.append({"line": line_no, "reason": _reason(outcome)})
                else:
                    counts["applied" if outcome else "unchanged"] += 1
    return {**counts, "rejected_rows": rejected,
            "rejected_rows_truncated": counts["rejected"] > len(rejected)}


def _reason(exc: Exception) -> str:
    return exc.message if isinstance(exc, CriError) else "ligne illisible"

