"""Reference lists for the forms (permit types, nationalities, communes…), asked of intake
once per process: they are code tables, the same for every user."""
from __future__ import annotations

import threading

from services.portal.views.common import get

PURPOSE_CHOICES = ("consultation", "accueil", "suivi", "bilan", "eligibilite",
                   "demande_personne", "controle", "transfert")
SEXES = [("F", "Femme"), ("M", "Homme"), ("X", "Autre / non précisé")]
_cache: dict = {}
_lock = threading.Lock()


def lists() -> dict:
    with _lock:
        if not _cache:
            vocab = get("intake", "/api/v1/reference/vocabularies")
            nats = get("intake", "/api/v1/reference/nationalities")["items"]
            communes = get("intake", "/api/v1/reference/communes")["items"]
            _cache.update(
                vocab=vocab, sexes=SEXES,
                permit_types=sorted(vocab["permit_types"].items(), key=lambda kv: kv[1]),
                nationalities=[(n["code"], n["name"]) for n in nats],
                communes=[(c["nis"], f"{c['name']} ({', '.join(c['postal_codes'][:3])})")
                          for c in communes if c["in_this_centre"]],
                communes_all=[(c["nis"], c["name"]) for c in communes])
        return dict(_cache)
