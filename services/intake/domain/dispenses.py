"""Dispense grounds (« motifs de dispense ») from the integration-pathway obligation.

A person who fits the obligated definition but has one of these grounds is dispensed;
the evidence reference (document scanned, certificate number…) is kept with the ground.
Two grounds are derived from facts the office already holds and need no document:
"age" (from the birth date) and "standstill_nationality" (from the nationality, for
the nationalities listed in `nationalities.STANDSTILL_NATIONALITIES`). The standstill
ground can still be declared with evidence for a state "to confirm".
"""
from __future__ import annotations

from dataclasses import dataclass

from shared.errors import ValidationFailed

DISPENSE_GROUNDS: dict[str, str] = {
    "already_attested": "Possède déjà une attestation de fréquentation du parcours "
                        "(y compris de Bruxelles, de Flandre ou de la Communauté germanophone)",
    "medical": "Certificat médical attestant une maladie grave ou un handicap",
    "belgian_diploma": "Titulaire d'un diplôme ou certificat belge",
    "age": "Âgé de moins de 18 ans ou de 65 ans et plus",
    "employed_half_time_3_months": "Travaille au moins à mi-temps depuis plus de "
                                   "3 mois continus",
    "student": "Étudiant régulier ou d'échange",
    "doctoral_scholarship": "Bénéficiaire d'une bourse de doctorat",
    "fwb_higher_ed_teacher": "Enseignant dans l'enseignement supérieur de la "
                             "Fédération Wallonie-Bruxelles",
    "standstill_nationality": "Ressortissant turc ou d'un État lié à l'UE par un accord "
                              "d'association comportant une clause de standstill",
}

# Computed from the birth date: declaring it by hand would let it contradict the facts.
DERIVED_ONLY = frozenset({"age"})


@dataclass(frozen=True)
class DispenseGround:
    """A ground with its evidence; `evidence_ref` is None only for derived grounds."""

    code: str
    evidence_ref: str | None = None
    derived: bool = False

    @property
    def label_fr(self) -> str:
        return DISPENSE_GROUNDS[self.code]


def _fail(field: str, message: str, english: str) -> ValidationFailed:
    return ValidationFailed(message, message_en=english, fields={field: [message]})


def declared_ground(code: str, evidence_ref: str | None) -> DispenseGround:
    """Validate a ground declared by the office: known, not derived, with evidence."""
    if code not in DISPENSE_GROUNDS:
        raise _fail("ground", f"Motif de dispense inconnu : {code!r}.",
                    f"Unknown dispense ground: {code!r}.")
    if code in DERIVED_ONLY:
        raise _fail("ground", "Ce motif est déduit de la date de naissance, il ne se déclare pas.",
                    "This ground is derived from the birth date and cannot be declared.")
    if not isinstance(evidence_ref, str) or not evidence_ref.strip():
        raise _fail("evidence_ref", "Référence de la pièce justificative requise.",
                    "An evidence reference is required.")
    return DispenseGround(code, evidence_ref.strip())
