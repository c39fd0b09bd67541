"""Codes of local action (« action locale ») and their French labels: integration plans
(PLI), integration activities, practitioner trainings and the public directory."""
from __future__ import annotations

# Themes of a plan's diagnosis, objectives and indicators (« thématiques »).
PLAN_THEMES = {
    "language": "langue (FLE)", "employment": "emploi", "housing": "logement",
    "health": "santé", "education": "éducation", "citizenship": "citoyenneté",
    "discrimination": "lutte contre les discriminations", "participation": "participation",
    "interculturality": "interculturalité", "culture": "culture", "other": "autre"}
PLAN_STATUS = {"draft": "projet", "adopted": "adopté", "evaluated": "évalué"}
ACTION_STATUS = {"planned": "prévue", "in_progress": "en cours", "done": "réalisée",
                 "postponed": "reportée", "cancelled": "abandonnée"}
INDICATOR_UNITS = {"persons": "personnes", "count": "nombre", "percent": "pourcentage",
                   "hours": "heures", "euros": "euros"}
PRIORITIES = {"high": "haute", "medium": "moyenne", "low": "basse"}

# Integration activities (missions 4, 8, 10).
ACTIVITY_THEMES = {
    "interculturality": "interculturalité", "participation": "participation et citoyenneté",
    "anti_discrimination": "lutte contre les discriminations", "housing": "logement",
    "health": "santé", "employment": "emploi", "culture": "culture",
    "education": "éducation", "other": "autre"}
ACTIVITY_KINDS = {"meeting": "rencontre interculturelle", "workshop": "atelier",
                  "information": "séance d'information", "project": "projet",
                  "campaign": "campagne", "other": "autre"}
PUBLICS = {"newcomers": "personnes primo-arrivantes", "all": "tout public",
           "women": "femmes", "youth": "jeunes", "professionals": "professionnels",
           "other": "autre"}
# Participation is counted, never listed: coarse categories only.
PARTICIPANT_CATEGORIES = {"newcomers": "personnes primo-arrivantes",
                          "residents": "habitants", "professionals": "professionnels",
                          "volunteers": "bénévoles", "other": "autres"}
ACTIVITY_STATUS = {"planned": "prévue", "held": "réalisée", "cancelled": "annulée"}

# Practitioner trainings (mission 5).
TRAINING_THEMES = {"interculturality": "interculturalité", "migration_law": "droit des étrangers",
                   "pathway": "le parcours d'intégration", "fle_pedagogy": "pédagogie du FLE",
                   "anti_discrimination": "lutte contre les discriminations",
                   "other": "autre"}
AUDIENCES = {"operator": "opérateurs", "commune": "communes", "cpas": "CPAS",
             "other": "autres"}
REGISTRATION_STATUS = {"registered": "inscrit", "cancelled": "désinscrit"}
EVALUATION_SCALE = (1, 2, 3, 4, 5)

# Languages the centre may describe its listings in (ISO 639; "prs" Dari, "ti" Tigrinya).
LANGUAGES = {"fr": "français", "nl": "néerlandais", "de": "allemand", "en": "anglais",
             "ar": "arabe", "prs": "dari", "ps": "pachto", "fa": "persan",
             "ti": "tigrinya", "uk": "ukrainien", "ru": "russe", "tr": "turc",
             "so": "somali", "es": "espagnol", "pt": "portugais", "ro": "roumain",
             "sq": "albanais", "ku": "kurde"}
RTL_LANGUAGES = ("ar", "prs", "ps", "fa", "ku")

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
