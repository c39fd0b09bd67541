"""French labels of the pathway service's codes (its vocabularies are codes, never free
text), for the coordination screens. The pathway service validates: these lists only
offer the choices and name them."""
from __future__ import annotations

ELIGIBILITY = {"obligated": "Public obligé", "voluntary": "Public volontaire",
               "dispensed": "Dispensé", "out_of_scope": "Hors champ"}
STATUS = {"open": "Suivi dans ce centre", "transferred": "Transféré",
          "new": "Pas encore ouvert", "closed": "Clôturé"}
RECEPTION_STEPS = {"information": "Information sur les droits et devoirs",
                   "bilan_social": "Bilan social", "french_test": "Test de français",
                   "administrative_help": "Aide aux démarches administratives"}
INFORMATION_SESSIONS = {"individual": "Séance individuelle", "group": "Séance collective"}
CEFR_LEVELS = {"A0": "A0 (infra A1, alphabétisation)", "A1": "A1", "A2": "A2", "B1": "B1",
               "B2": "B2", "C1": "C1", "C2": "C2"}
TRAININGS = {"citizenship": "Formation à la citoyenneté (FIC)",
             "french": "Français langue étrangère (FLE)",
             "osp": "Orientation socioprofessionnelle (OSP)"}
ENDED_BY = {"hours": "heures atteintes", "level_proven": "niveau A2 prouvé",
            "operator_report": "rapport de l'opérateur"}
SUSPENSION_REASONS = {"illness": "Maladie", "maternity": "Maternité",
                      "absence_from_territory": "Absence du territoire", "other": "Autre"}
EXTENSION_REASONS = {"training_unavailable": "Formation indisponible", "illness": "Maladie",
                     "employment": "Emploi", "family": "Raisons familiales", "other": "Autre"}
TRAINING_ATTENDANCE = {"regular": "Régulière", "irregular": "Irrégulière",
                       "insufficient": "Insuffisante", "not_started": "Pas commencée"}
ABSENCE_REASONS = {"illness": "Maladie", "work": "Travail", "childcare": "Garde d'enfants",
                   "family": "Famille", "transport": "Transport",
                   "administrative": "Démarches administratives", "other": "Autre"}
PROGRAMME_CHANGES = {"french_level_reached": "Niveau de français atteint",
                     "training_added": "Formation ajoutée",
                     "training_stopped": "Formation arrêtée",
                     "schedule_changed": "Horaire modifié",
                     "operator_changed": "Opérateur changé", "other": "Autre"}
TRANSFER_STATES = {"proposed": "Proposé", "accepted": "Accepté (dossier en route)",
                   "rejected": "Refusé", "withdrawn": "Retiré", "completed": "Dossier reçu"}
TRANSFER_TRIGGERS = {"move": "Déménagement", "manual": "Demande du coordinateur"}
TRANSFER_REJECTION_REASONS = {"not_our_territory": "Hors de notre territoire",
                              "person_not_found": "Personne inconnue ici",
                              "duplicate": "Doublon", "other": "Autre"}
REVOCATION_REASONS = {"issued_in_error": "Délivrée par erreur", "fraud": "Fraude",
                      "duplicate": "Doublon", "other": "Autre"}
REFERRAL_STATUS = {"proposed": "Proposée", "accepted": "Acceptée",
                   "waitlisted": "En liste d'attente", "declined": "Refusée",
                   "started": "Commencée", "completed": "Terminée",
                   "dropped_out": "Abandon", "cancelled": "Annulée"}
CENTRES = {"cripel": "CRIPEL (Liège)", "crvi": "CRVI (Verviers)", "cai": "CAI (Namur)",
           "cribw": "CRIBW (Brabant wallon)", "crilux": "CRILUX (Luxembourg)",
           "cric": "CRIC (Charleroi)", "ceraic": "CeRAIC (Centre)",
           "cimb": "CIMB (Mons-Borinage)"}
QUEUES = {"interviews-overdue": "Entretiens en retard",
          "deadline-30": "Échéance dans 30 jours", "deadline-60": "Échéance dans 60 jours",
          "deadline-90": "Échéance dans 90 jours", "non-compliance": "Non-respect"}
WORK_QUEUE_ITEMS = {"interview_overdue": "Entretien en retard",
                    "deadline_within_30": "Échéance dans 30 jours",
                    "deadline_within_60": "Échéance dans 60 jours",
                    "deadline_within_90": "Échéance dans 90 jours",
                    "past_deadline": "Échéance dépassée",
                    "non_compliance_to_flag": "Non-respect à signaler"}


def options(table: dict) -> list[tuple[str, str]]:
    return list(table.items())


def label(table: dict, code) -> str:
    return table.get(code, code or "—") if code is not None else "—"


def all_tables() -> dict:
    return {name: table for name, table in globals().items()
            if name.isupper() and isinstance(table, dict)}
