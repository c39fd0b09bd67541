"""Commands on the person's file (« dossier de la personne ») and their vocabularies.

Commands are plain immutable data; `person.py` decides what they mean given the
current state. Dates are `datetime.date`; the domain emits ISO strings in events.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

SEXES = ("F", "M", "X")
CEFR_LEVELS = ("pre-A1", "A1", "A2", "B1", "B2", "C1", "C2")
# FLE (French course) stops once A2 is proven, so only levels below it need one.
LEVELS_NEEDING_FLE = frozenset({"pre-A1", "A1"})

BILAN_THEMES: dict[str, str] = {
    "housing": "Logement",
    "health": "Santé",
    "family": "Famille",
    "employment": "Emploi",
    "education_diplomas": "Formation et diplômes (équivalences)",
    "administrative_steps": "Démarches administratives",
}
# Socio-professional orientation (OSP, with the Forem) answers these needs.
OSP_THEMES = frozenset({"employment", "education_diplomas"})

CONSENT_PURPOSES: dict[str, str] = {
    "referral": "Orientation vers les opérateurs de formation (FLE, citoyenneté)",
    "socio_professional_orientation": "Orientation socio-professionnelle avec le Forem",
    "follow_up_sharing": "Partage du suivi du parcours avec la commune et le CPAS",
}
CONSENT_RECIPIENTS = frozenset({"forem", "cpas", "commune", "operators"})

ERASURE_REASONS: dict[str, str] = {
    "gdpr_request": "Demande d'effacement de la personne (art. 17 RGPD)",
    "retention_expired": "Durée de conservation échue",
    "registered_in_error": "Dossier créé par erreur",
    "duplicate": "Doublon d'un autre dossier",
}


@dataclass(frozen=True)
class Address:
    """Postal address (« adresse »); the commune is the command's `commune_nis`."""

    street: str
    house_number: str
    postal_code: str
    box: str | None = None

    def as_data(self) -> dict[str, str | None]:
        return {"street": self.street, "house_number": self.house_number,
                "box": self.box, "postal_code": self.postal_code}


@dataclass(frozen=True)
class RegisterPerson:
    person_id: str                      # random UUID chosen by the caller
    centre: str
    last_name: str
    first_names: str
    birth_date: date
    sex: str
    nationality: str
    commune_nis: str
    address: Address | None = None
    permit_type: str = "none"
    permit_order_date: date | None = None
    arrival_date: date | None = None
    national_number: str | None = None
    phone: str | None = None
    email: str | None = None
    notes: str | None = None
    languages: tuple[str, ...] = ()     # spoken, ISO 639 codes or names as typed
    interpreter_needed: bool = False    # SETIS wallon interpreting is free


@dataclass(frozen=True)
class AssessEligibility:
    wants_voluntary: bool = False


@dataclass(frozen=True)
class CoordinatorOverride:
    final_status: str
    justification: str
    coordinator: str                    # user id of the « coordination » role


@dataclass(frozen=True)
class RecordDispense:
    ground: str
    evidence_ref: str


@dataclass(frozen=True)
class BilanTheme:
    need: bool
    notes: str = ""


@dataclass(frozen=True)
class RecordBilanSocial:
    needs: dict[str, BilanTheme] = field(default_factory=dict)   # missing theme: no need
    notes: str = ""


@dataclass(frozen=True)
class RecordFrenchTest:
    level: str
    test_date: date
    tester: str
    notes: str = ""


@dataclass(frozen=True)
class RecordConsent:
    purpose: str
    recipients: tuple[str, ...]
    given: bool                          # False: withdrawal
    evidence_ref: str | None = None      # signed form, recording…


@dataclass(frozen=True)
class ChangeAddress:
    commune_nis: str
    address: Address | None = None


@dataclass(frozen=True)
class ErasePerson:
    dpo: str                             # user id of the data protection officer
    reason: str                          # a key of ERASURE_REASONS, never free text
