"""Residence documents (« titre de séjour ») as the eligibility rules see them.

Only what decides primo-arrivant status is modelled: is it a stay of more than
3 months, is the holder an EU+ citizen or the family member of one (cards E/E+,
F/F+), is the holder an asylum seeker (« attestation d'immatriculation », the orange
card). Recognised refugees and subsidiary protection hold an A or B card; they are
listed apart because reception offices record the protection status itself.
"""
from __future__ import annotations

from dataclasses import dataclass

from shared.errors import ValidationFailed


@dataclass(frozen=True)
class PermitType:
    code: str
    label_fr: str
    long_stay: bool = True          # more than 3 months
    eu_citizen: bool = False        # E / E+: the holder is an EU+ citizen
    eu_family: bool = False         # F / F+: family member of an EU+ citizen
    asylum_seeker: bool = False


_ALL = (
    PermitType("A", "Carte A – séjour temporaire (CIRE limitée)"),
    PermitType("B", "Carte B – séjour illimité (CIRE illimitée)"),
    PermitType("K", "Carte K – établissement (ex-carte C)"),
    PermitType("L", "Carte L – résident de longue durée UE (ex-carte D)"),
    PermitType("H", "Carte H – carte bleue européenne"),
    PermitType("I", "Carte I – transfert temporaire intragroupe (ICT)"),
    PermitType("E", "Carte E – citoyen UE+ (attestation d'enregistrement)", eu_citizen=True),
    PermitType("E+", "Carte E+ – citoyen UE+ (séjour permanent)", eu_citizen=True),
    PermitType("F", "Carte F – membre de la famille d'un citoyen de l'Union", eu_family=True),
    PermitType("F+", "Carte F+ – membre de la famille d'un citoyen de l'Union (permanent)",
               eu_family=True),
    PermitType("asylum_seeker", "Demandeur de protection internationale "
               "(attestation d'immatriculation, carte orange)", asylum_seeker=True),
    PermitType("refugee", "Réfugié reconnu"),
    PermitType("subsidiary_protection", "Bénéficiaire de la protection subsidiaire"),
    PermitType("short_stay", "Séjour de 3 mois au plus (déclaration d'arrivée, visa C)",
               long_stay=False),
    PermitType("none", "Aucun titre de séjour", long_stay=False),
)

PERMIT_TYPES: dict[str, PermitType] = {p.code: p for p in _ALL}


def permit_type(code: str) -> PermitType:
    """The permit type for `code`; ValidationFailed on "permit_type" if unknown."""
    try:
        return PERMIT_TYPES[code]
    except (KeyError, TypeError):
        message = f"Type de titre de séjour inconnu : {code!r}."
        raise ValidationFailed(message, message_en=f"Unknown permit type: {code!r}.",
                               fields={"permit_type": [message]}) from None
