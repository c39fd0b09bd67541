"""Closed vocabularies of the pathway: statuses, steps, trainings and reason codes.

Reasons are codes, never free text: free text may hold personal data, which must not
travel in pathway events (notes stay encrypted in intake). Lists marked "to confirm"
were chosen here, not found in a source.
"""
from __future__ import annotations

ELIGIBILITY = ("obligated", "voluntary", "dispensed", "out_of_scope")
OPEN_BY_RIGHT = ("obligated", "voluntary")
# Why a dispensed or out-of-scope person is opened a pathway on request. To confirm.
OPEN_JUSTIFICATIONS = ("nationality_application", "personal_request", "other")

# "Module d'accueil" steps, in their usual order.
RECEPTION_STEPS = ("information", "bilan_social", "french_test", "administrative_help")
INFORMATION_SESSIONS = ("individual", "group")

# CEFR levels; "A0" stands for "below A1" (pre-A1, literacy needs).
CEFR_LEVELS = ("A0", "A1", "A2", "B1", "B2", "C1", "C2")
FRENCH_EXEMPTION_LEVEL = "A2"

# citizenship = FIC, french = FLE, osp = orientation socioprofessionnelle.
TRAININGS = ("citizenship", "french", "osp")

SUSPENSION_REASONS = ("illness", "maternity", "absence_from_territory", "other")
EXTENSION_REASONS = ("training_unavailable", "illness", "employment", "family",
                     "other")  # to confirm

# Evaluation interview ("entretien d'évaluation") codes. To confirm.
TRAINING_ATTENDANCE = ("regular", "irregular", "insufficient", "not_started")
ABSENCE_REASONS = ("illness", "work", "childcare", "family", "transport",
                   "administrative", "other")
PROGRAMME_CHANGES = ("french_level_reached", "training_added", "training_stopped",
                     "schedule_changed", "operator_changed", "other")

TRANSFER_TRIGGERS = ("move", "manual")
TRANSFER_STATES = ("proposed", "accepted", "rejected", "withdrawn")
TRANSFER_REJECTION_REASONS = ("not_our_territory", "person_not_found", "duplicate",
                              "other")  # to confirm
REVOCATION_REASONS = ("issued_in_error", "fraud", "duplicate", "other")  # to confirm

CENTRE_ID_PATTERN = r"^[a-z][a-z0-9_-]{1,31}$"


def level_at_least(level: str | None, floor: str) -> bool:
    return level in CEFR_LEVELS and CEFR_LEVELS.index(level) >= CEFR_LEVELS.index(floor)

# Attestation number "<CENTRE>-<year of issue>-<6 digits>-<check>", e.g.
# CRIPEL-2026-000123-K7Q2: the check part is random (Crockford base 32, 4 characters), so
# the public verification page cannot be walked through the sequence. Numbers issued
# before the check part existed (no suffix) stay valid.
CHECK_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CHECK_LENGTH = 4
ATTESTATION_NUMBER_PATTERN = (r"^(?P<centre>[A-Z][A-Z0-9]{1,31})-(?P<year>\d{4})-(?P<seq>\d{6})"
                              rf"(?:-(?P<check>[{CHECK_ALPHABET}]{{{CHECK_LENGTH}}}))?$")
# Initials only ("J.D.", "M.-A.K."), at most 4 letters: the one personal datum allowed.
INITIALS_PATTERN = r"^[A-ZÀ-ÖØ-Þ]\.?(?:-?[A-ZÀ-ÖØ-Þ]\.?){0,3}$"

# The eight regional integration centres (display names for documents and pages).
CENTRE_NAMES = {
    "cripel": "CRIPEL — Centre Régional pour l'Intégration des Personnes Étrangères ou "
              "d'origine étrangère de Liège",
    "crvi": "CRVI — Centre Régional de Verviers pour l'Intégration",
    "cai": "CAI — Centre d'Action Interculturelle de la province de Namur",
    "cribw": "CRIBW — Centre Régional d'Intégration du Brabant wallon",
    "crilux": "CRILUX — Centre Régional d'Intégration de la province de Luxembourg",
    "cric": "CRIC — Centre Régional d'Intégration de Charleroi",
    "ceraic": "CeRAIC — Centre Régional d'Action Interculturelle du Centre",
    "cimb": "CIMB — Centre Interculturel de Mons et du Borinage",
}
CENTRES = tuple(CENTRE_NAMES)
