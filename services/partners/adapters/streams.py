"""The partners service's streams, each a `shared.application.Repository`:
`operator-<id>`, `agreement-<id>`, `offer-<id>` (offer and referrals) and
`attendance-<id>`; local action's `plan-<id>`, `activity-<id>`, `training-<id>` and the
directory's `listing-<offer id>` and `directory-contact`. Each write updates the read
model in the same call (`on_commit`), so
the screens read what was just written."""
from __future__ import annotations

from typing import Iterable

from shared.application import Repository
from shared.messages import DomainEvent
from shared.store.commits import CommitStore

from services.partners.adapters.read_model import ReadModel
from services.partners.domain import activities as activity_dom
from services.partners.domain import directory as directory_dom
from services.partners.domain import plans as plan_dom
from services.partners.domain import trainings as training_dom
from services.partners.domain.offers import fold as fold_offer
from services.partners.domain.operators import fold_agreement, fold_operator


def attendance_stream(attendance_id: str) -> str:
    return f"attendance-{attendance_id}"


def history(events: Iterable[DomainEvent], before: list[DomainEvent] | None
            ) -> list[DomainEvent]:
    return [*(before or []), *events]


def operators(store: CommitStore, rm: ReadModel) -> Repository:
    return Repository(store, lambda k: f"operator-{k}", fold_operator, rm.on_operator)


def agreements(store: CommitStore, rm: ReadModel) -> Repository:
    return Repository(store, lambda k: f"agreement-{k}", fold_agreement, rm.on_agreement)


def offers(store: CommitStore, rm: ReadModel) -> Repository:
    return Repository(store, lambda k: f"offer-{k}", fold_offer, rm.on_offer)


def attendances(store: CommitStore, rm: ReadModel | None = None) -> Repository:
    return Repository(store, attendance_stream, history, rm.on_attendance if rm else None)


def plans(store: CommitStore, rm: ReadModel) -> Repository:
    return Repository(store, lambda k: f"plan-{k}", plan_dom.fold, rm.on_plan)


def activities(store: CommitStore, rm: ReadModel) -> Repository:
    return Repository(store, lambda k: f"activity-{k}", activity_dom.fold, rm.on_activity)


def trainings(store: CommitStore, rm: ReadModel) -> Repository:
    return Repository(store, lambda k: f"training-{k}", training_dom.fold, rm.on_training)


def listings(store: CommitStore, rm: ReadModel) -> Repository:
    """`listing-<offer id>` (an offer's descriptions) and `directory-contact` (key
    `CONTACT`): the directory's own records."""
    return Repository(store, lambda k: "directory-contact" if k == CONTACT else f"listing-{k}",
                      directory_dom.fold, rm.on_listing)


CONTACT = ":contact"   # never an offer id (ids start with a letter or digit)
