"""The partners service's codes (stored and on the bus) and their French labels."""
from __future__ import annotations

OPERATOR_TYPES = {
    "ili": "initiative locale d'intégration (ILI)", "commune": "commune", "cpas": "CPAS",
    "school": "école de promotion sociale", "forem": "Forem",
    "cisp": "centre d'insertion socioprofessionnelle (CISP)", "association": "association",
    "other": "autre"}
APPROVAL = {"pending": "en attente", "approved": "agréé", "suspended": "suspendu",
            "withdrawn": "retiré"}
SUBJECTS = {"french": "français (FLE)", "citizenship": "citoyenneté (FIC)",
            "orientation": "orientation socioprofessionnelle", "housing": "logement",
            "health": "santé", "employment": "emploi", "culture": "culture",
            "education": "éducation", "other": "autre"}
QUOTA_KINDS = {"seats": "places", "hours": "heures"}
AGREEMENT_STATUS = {"active": "en vigueur", "terminated": "résiliée"}

# Offer kinds: the first three are the pathway's trainings (hours credited there).
OFFER_KINDS = {"french": "français (FLE)", "citizenship": "citoyenneté (FIC)",
               "osp": "orientation socioprofessionnelle (OSP)", "other": "autre"}
TRAININGS = ("citizenship", "french", "osp")
CEFR_LEVELS = ("alpha", "A1", "A2", "B1", "B2", "C1", "C2")
OFFER_STATUS = {"open": "ouverte", "closed": "clôturée"}

REFERRAL_STATUS = {
    "proposed": "proposée", "accepted": "acceptée", "waitlisted": "en liste d'attente",
    "declined": "refusée", "started": "commencée", "completed": "terminée",
    "dropped_out": "abandon", "cancelled": "annulée"}
HOLDS_SEAT = ("accepted", "started")
ACTIVE = ("proposed", "accepted", "waitlisted", "started")
DECLINE_REASONS = {"person_refused": "la personne refuse", "not_suitable": "offre inadaptée",
                   "schedule": "horaire incompatible", "full": "plus de place",
                   "other": "autre"}
# Coarse on purpose: no health or other special-category ground (GDPR art. 9).
DROP_REASONS = {"employment": "emploi trouvé", "moved": "déménagement",
                "schedule": "horaire incompatible", "personal": "raisons personnelles",
                "lost_contact": "plus de contact", "other": "autre"}
CANCEL_REASONS = {"error": "erreur d'encodage", "person_request": "demande de la personne",
                  "transferred": "transfert vers un autre centre", "other": "autre"}
ABSENCE_REASONS = {"justified": "absence justifiée", "unjustified": "absence non justifiée"}
PURPOSES = {"training": "suivi de la formation", "orientation": "orientation",
            "contact": "prise de contact"}
