"""Value records inside the pathway state, and their JSON shape.

A record's `to_data()` is exactly what its event payload (and the transfer history)
carries, and `from_data()` reads it back: live decisions and replay share one shape.
Dates travel as ISO strings; collections as lists.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, ClassVar, TypeVar

R = TypeVar("R", bound="Record")


def as_date(value: Any) -> date | None:
    """Accept a date or its ISO string: events read back from the store hold strings."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(value)


def iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


class Record:
    _dates: ClassVar[tuple[str, ...]] = ()
    _tuples: ClassVar[tuple[str, ...]] = ()

    def to_data(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = [v.to_data() if isinstance(v, Record) else v for v in value]
            out[f.name] = value
        return out

    @classmethod
    def from_data(cls: type[R], data: dict[str, Any]) -> R:
        kwargs = {f.name: data.get(f.name) for f in fields(cls)}  # type: ignore[arg-type]
        for name in cls._dates:
            kwargs[name] = as_date(kwargs[name])
        for name in cls._tuples:
            kwargs[name] = tuple(kwargs[name] or ())
        return cls(**kwargs)


@dataclass(frozen=True)
class ReceptionStep(Record):
    """One step of the "module d'accueil"; only the step's own detail is set."""
    step: str
    done_on: date
    session: str | None = None        # information: individual or group session
    french_level: str | None = None   # french_test: CEFR level
    needs_osp: bool | None = None     # bilan_social: socio-professional orientation need
    _dates = ("done_on",)


@dataclass(frozen=True)
class Requirement(Record):
    training: str
    hours_required: float


@dataclass(frozen=True)
class Convention(Record):
    """"Convention d'accueil": the trainings the person commits to."""
    signed_on: date
    requirements: tuple[Requirement, ...]
    _dates = ("signed_on",)

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Convention:
        reqs = tuple(Requirement(r["training"], float(r["hours_required"]))
                     for r in data["requirements"])
        return cls(as_date(data["signed_on"]), reqs)

    def requirement(self, training: str) -> Requirement | None:
        return next((r for r in self.requirements if r.training == training), None)


@dataclass(frozen=True)
class Credit(Record):
    """Hours from one partner attendance report; attendance_id makes crediting idempotent."""
    attendance_id: str
    training: str
    hours: float
    session_date: date
    _dates = ("session_date",)


@dataclass(frozen=True)
class Extension(Record):
    months: int
    reason: str
    granted_on: date
    _dates = ("granted_on",)


@dataclass(frozen=True)
class Suspension(Record):
    """The clock stops on [start, end): `end` is the day it runs again; None = still open."""
    suspension_id: str
    reason: str
    start: date
    end: date | None = None
    _dates = ("start", "end")


@dataclass(frozen=True)
class Interview(Record):
    """"Entretien d'évaluation": scheduled, then recorded (held_on set)."""
    interview_id: str
    scheduled_for: date | None = None
    held_on: date | None = None
    person_attended: bool | None = None
    training_attendance: str | None = None
    absence_reasons: tuple[str, ...] = ()
    programme_changes: tuple[str, ...] = ()
    extension_needed: bool | None = None
    _dates = ("scheduled_for", "held_on")
    _tuples = ("absence_reasons", "programme_changes")


@dataclass(frozen=True)
class Flag(Record):
    """A non-compliance flag, raised once per effective deadline."""
    flagged_on: date
    deadline: date
    _dates = ("flagged_on", "deadline")
