"""GET /verification/<number>: the page a commune or CPAS clerk opens from the QR code.

Public, in French, and showing only the number, the date of issue, the centre, the
holder's initials and whether the attestation is valid or revoked.
"""
from __future__ import annotations

from html import escape

from flask import Blueprint, Response

from shared.errors import NotFound
from shared.web.app import public

from services.pathway.api.common import svc
from services.pathway.adapters.pdf import french_date
from services.pathway.service_layer import attestations

page = Blueprint("verification-page", __name__)

_STYLE = """body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#222}
.ok{background:#e6f4ea;border-left:6px solid #1e7e34;padding:1rem}
.ko{background:#fdecea;border-left:6px solid #b00020;padding:1rem}
dt{font-weight:600;margin-top:.6rem}dd{margin:0}small{color:#555}"""


def _html(title: str, body: str, status: int) -> Response:
    doc = (f'<!doctype html><html lang="fr"><head><meta charset="utf-8">'
           f'<meta name="viewport" content="width=device-width,initial-scale=1">'
           f'<meta name="robots" content="noindex"><title>{escape(title)}</title>'
           f'<style>{_STYLE}</style></head><body>{body}</body></html>')
    return Response(doc, status=status, mimetype="text/html")


@page.get("/verification/<number>")
@public
def verify(number: str):
    try:
        v = attestations.verification(svc(), number)
    except NotFound:
        return _html("Attestation introuvable", (
            "<h1>Attestation introuvable</h1><div class='ko'><p>Aucune attestation de "
            f"fréquentation portant le numéro <strong>{escape(number)}</strong> n'a été "
            "délivrée par ce centre régional d'intégration.</p></div>"), 404)
    valid = v["status"] == "valid"
    verdict = ("<div class='ok'><p><strong>Attestation valide.</strong></p></div>" if valid
               else "<div class='ko'><p><strong>Attestation révoquée</strong> le "
               f"{escape(french_date(v['revoked_on']))} : elle n'est plus valable.</p></div>")
    body = (f"<h1>Vérification d'une attestation de fréquentation</h1>{verdict}<dl>"
            f"<dt>Numéro</dt><dd>{escape(v['number'])}</dd>"
            f"<dt>Délivrée le</dt><dd>{escape(french_date(v['issued_on']))}</dd>"
            f"<dt>Centre</dt><dd>{escape(v['centre_name'])}</dd>"
            f"<dt>Initiales du titulaire</dt><dd>{escape(v['initials'])}</dd></dl>"
            "<p><small>Parcours d'intégration des personnes étrangères en Wallonie. Cette "
            "page ne montre que les informations nécessaires à la vérification.</small></p>")
    return _html(f"Attestation {v['number']}", body, 200)
