"""The menu: each user sees the screens of their roles (the views check again)."""
from __future__ import annotations

from flask import Flask, current_app, request, url_for

from services.portal import auth

# (endpoint, label, hint, roles)
MENU = [
    ("persons.search", "Rechercher une personne", "par nom ou numéro national",
     ("accueil", "coordination")),
    ("persons.new", "Inscrire une personne", "identité, titre de séjour, décision",
     ("accueil",)),
    ("queues.index", "Mes files de travail", "entretiens en retard, échéances, manquements",
     ("coordination",)),
    ("pathways.index", "Parcours du centre", "liste des parcours, échéances, conventions",
     ("coordination",)),
    ("transfers.index", "Transferts", "dossiers reçus et envoyés", ("coordination",)),
    ("offers.index", "Offres des partenaires", "offres, places, orientations",
     ("coordination",)),
    ("plans.index", "Plans locaux d'intégration", "diagnostic, actions, indicateurs, adoption",
     ("coordination", "partenaire")),
    ("activities.index", "Activités d'intégration", "rencontres, ateliers, participation",
     ("coordination", "partenaire")),
    ("trainings.index", "Formations des intervenants", "sessions, inscriptions, attestations",
     ("coordination", "partenaire")),
    ("directory.index", "Annuaire public", "contact du centre pour les primo-arrivants",
     ("coordination",)),
    ("operator.referrals", "Mes participants", "orientations vers mon opérateur",
     ("partenaire",)),
    ("operator.offers", "Mes offres", "places et liste d'attente", ("partenaire",)),
    ("operator.attendance", "Présences", "encodage par séance, import CSV", ("partenaire",)),
    ("analyst.index", "Tableau de bord régional", "chiffres publiés et exports",
     ("analyste",)),
    ("dpo.index", "Protection des données", "journal des accès, export, effacement, audit",
     ("dpo",)),
]


def items() -> list[dict]:
    who = auth.current_user()
    if who is None:
        return []
    out = []
    for endpoint, label, hint, roles in MENU:
        if endpoint not in current_app.view_functions or not who.has(*roles):
            continue
        url = url_for(endpoint)
        out.append({"url": url, "label": label, "hint": hint,
                    "current": request.path == url or (url != "/" and
                                                       request.path.startswith(url + "/"))})
    return out


def install(app: Flask) -> None:
    @app.context_processor
    def _globals():
        return {"menu": items, "current_user": auth.current_user,
                "config_centre": lambda: app.extensions["portal_config"].centre}
