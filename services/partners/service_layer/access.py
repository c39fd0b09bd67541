"""Who may report what, in one place: the operator's reach over people and records.

Today (no referrals yet): the caller of this centre with an operator id if a
`partenaire` (403 without); the person must be followed by this centre (404 otherwise:
no hours for an unknown or transferred person); an attendance report belongs to the
operator that sent it (403 for another operator's report id). Issue 9 (referrals)
narrows `may_report_for` to "referred to this operator" here and nowhere else.
"""
from __future__ import annotations

from shared.auth import Principal
from shared.errors import Forbidden, NotFound
from shared.messages import DomainEvent

from services.partners.bootstrap import PartnersServices


def may_report_for(svc: PartnersServices, who: Principal, person_id: str) -> None:
    who.require_operator()
    if not svc.people.followed(person_id):
        raise NotFound(f"aucun parcours suivi par ce centre pour la personne {person_id}",
                       message_en=f"no pathway followed by this centre for person {person_id}")


def may_touch_report(who: Principal, history: list[DomainEvent]) -> None:
    """A report already recorded is its operator's: another operator's token gets 403."""
    operator = who.require_operator()
    if operator is None or not history:
        return
    owner = history[0].data.get("operator_id")
    if owner != operator:
        raise Forbidden("ce rapport de présence a été envoyé par un autre opérateur",
                        message_en="this attendance report was sent by another operator")
