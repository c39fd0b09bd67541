"""The public directory's own records (« annuaire pour les primo-arrivants »): the
descriptions of an offer in the languages the centre fills in (`listing-<offer id>`)
and how to reach the centre (`directory-contact`). What the directory lists is read
from the offers and activities; nothing here is about a person."""
from __future__ import annotations

from typing import Any, Iterable

from shared.errors import ValidationFailed
from shared.messages import DomainEvent

from . import local_events as ev


def fold(events: Iterable[DomainEvent], state: dict[str, Any] | None
         ) -> dict[str, Any] | None:
    for e in events:
        if e.type in (ev.OFFER_LISTING_DESCRIBED, ev.CENTRE_CONTACT_SET):
            state = dict(e.data)
    return state


def _one_per_language(descriptions: list[dict[str, Any]]) -> None:
    langs = [d["lang"] for d in descriptions]
    if len(langs) != len(set(langs)):
        raise ValidationFailed("une seule description par langue",
                               message_en="one description per language",
                               fields={"descriptions": ["langue en double"]})


def decide_describe_offer(state: dict[str, Any] | None, offer_id: str,
                          descriptions: list[dict[str, Any]]) -> list[DomainEvent]:
    _one_per_language(descriptions)
    data = {"offer_id": offer_id, "descriptions": descriptions}
    return [] if state == data else [DomainEvent(ev.OFFER_LISTING_DESCRIBED, data)]


def decide_set_contact(state: dict[str, Any] | None, contact: dict[str, Any]
                       ) -> list[DomainEvent]:
    _one_per_language(contact["descriptions"])
    return [] if state == contact else [DomainEvent(ev.CENTRE_CONTACT_SET, contact)]
