"""Who may act on what, in one place: `coordination` manages everything of the centre; a
`partenaire` carries an operator id and acts only on that operator's offers, referrals
and attendance (403 otherwise); `accueil` reads offers to inform people."""
from __future__ import annotations

from shared.auth import Principal
from shared.errors import Forbidden, NotFound

MANAGERS = ("coordination",)
OPERATOR_STAFF = ("partenaire",)
READERS = ("coordination", "partenaire", "accueil")


def scope(who: Principal) -> str | None:
    """The operator the caller is limited to (None: the whole centre)."""
    if who.has(*MANAGERS):
        return None
    if who.has(*OPERATOR_STAFF):
        if not who.operator_id:
            raise Forbidden("ce compte partenaire n'est rattaché à aucun opérateur",
                            message_en="this partner account has no operator")
        return who.operator_id
    return None


def require_operator(who: Principal, operator_id: str) -> None:
    """A partner's staff touches only its own operator's records."""
    limit = scope(who)
    if limit is not None and limit != operator_id:
        raise Forbidden("cet élément relève d'un autre opérateur",
                        message_en="this record belongs to another operator")


def require_followed(svc, person_id: str) -> None:
    """Only people whose pathway this centre follows (from the pathway topic)."""
    if not svc.people.followed(person_id):
        raise NotFound("aucun parcours suivi par ce centre pour cette personne",
                       message_en="no pathway followed by this centre for this person")


def require_manager(who: Principal) -> None:
    if not who.has(*MANAGERS):
        raise Forbidden("réservé à la coordination du centre",
                        message_en="reserved to the centre's coordination")
