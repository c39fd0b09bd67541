"""The access export as a readable French PDF (reportlab), for the person themself."""
from __future__ import annotations

import io
import os
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from xml.sax.saxutils import escape

_FONTS = ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
          os.path.join(os.path.dirname(__import__("reportlab").__file__), "fonts", "Vera.ttf")]


def _font() -> str:
    """A Unicode TrueType font (names are not all Latin-1), registered once."""
    if "CriSans" in pdfmetrics.getRegisteredFontNames():
        return "CriSans"
    for path in _FONTS:
        if os.path.exists(path):
            pdfmetrics.registerFont(TTFont("CriSans", path))
            return "CriSans"
    return "Helvetica"


def _p(text: Any, style) -> Paragraph:
    return Paragraph(escape("" if text is None else str(text)), style)


def _rows(pairs, style) -> Table:
    table = Table([[_p(k, style), _p(v, style)] for k, v in pairs], colWidths=[55 * mm, 115 * mm])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("BACKGROUND", (0, 0), (0, -1), colors.whitesmoke)]))
    return table


def render_pdf(export: dict[str, Any]) -> bytes:
    font = _font()
    styles = getSampleStyleSheet()
    for name in ("Title", "Heading2", "BodyText"):
        styles[name].fontName = font
    body, h2 = styles["BodyText"], styles["Heading2"]
    f = export["file"]
    ident, addr, res = f["identity"], f["address"], f["residence"]
    elig = f.get("eligibility") or {}
    story = [
        _p("Vos données au bureau d'accueil — droit d'accès (article 15 du RGPD)",
           styles["Title"]),
        _p(f"Centre : {export['centre'].upper()} — dossier {export['person_id']} — "
           f"édité le {export['generated_at'][:10]}"
           + (f" — dossier transféré vers {export['transferred_to'].upper()}"
              if export.get("transferred_to") else ""), body), Spacer(1, 4 * mm),
        _p("Identité", h2),
        _rows([("Nom", ident["last_name"]), ("Prénoms", ident["first_names"]),
               ("Date de naissance", ident["birth_date"]), ("Sexe", ident["sex"]),
               ("Nationalité", ident["nationality_name"] or ident["nationality"]),
               ("Numéro national", ident["national_number"] or "—"),
               ("Langues parlées", ", ".join(ident["languages"]) or "—"),
               ("Interprète", "oui" if ident["interpreter_needed"] else "non"),
               ("Téléphone", f["contact"]["phone"] or "—"),
               ("E-mail", f["contact"]["email"] or "—")], body),
        _p("Adresse et séjour", h2),
        _rows([("Adresse", " ".join(str(addr.get(k) or "") for k in
                                    ("street", "house_number", "box")).strip() or "—"),
               ("Commune", f"{addr.get('postal_code') or ''} {addr.get('commune_name') or ''} "
                           f"({addr.get('commune_nis')})"),
               ("Titre de séjour", res["permit_type_label"] or res["permit_type"]),
               ("Date d'ordre du titre", res["permit_order_date"] or "—"),
               ("Date d'arrivée", res["arrival_date"] or "—")], body),
        _p("Décision d'obligation", h2),
        _rows([("Statut", elig.get("status_label") or "—"),
               ("Règles appliquées", elig.get("rule_version") or "—"),
               ("Échéance", elig.get("deadline") or "—"),
               ("Motifs", " ".join(elig.get("reasons") or []) or "—")]
              + [(f"Dispense : {d['label']}", d["evidence_ref"] or "déduite")
                 for d in f["dispenses"]], body),
    ]
    if f.get("bilan_social"):
        needs = f["bilan_social"]["needs"]
        story += [_p("Bilan social", h2), _rows(
            [(v["label"], ("besoin" if v["need"] else "pas de besoin")
              + (f" — {v['notes']}" if v.get("notes") else "")) for v in needs.values()]
            + [("Notes", f["bilan_social"]["notes"] or "—")], body)]
    story += [_p("Niveau de français", h2), _p(f["french_level"] or "non testé", body),
              _p("Consentements", h2),
              _p("; ".join(f"{c['label']} : {', '.join(c['recipients'])}"
                           for c in f["consents"]) or "aucun", body),
              _p("Historique du dossier", h2),
              _rows([(f"{e['recorded_at'][:19]} — v{e['version']}", e["label"])
                     for e in export["events"]], body),
              *_pathway(export.get("pathway"), h2, body),
              _p("Qui a consulté votre dossier", h2),
              _rows([(a["read_at"][:19], f"{a['read_by']} ({', '.join(a['roles'])}) — "
                     f"finalité : {a['purpose']}, {a['what']}")
                     for a in export["access_log"]] or [("—", "aucune consultation")], body),
              Spacer(1, 4 * mm),
              _p("Détail technique complet (JSON) disponible auprès du délégué à la "
                 "protection des données.", body)]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title="Droit d'accès — dossier",
                      leftMargin=18 * mm, rightMargin=18 * mm).build(story)
    return out.getvalue()



def _pathway(part: dict[str, Any] | None, h2, body) -> list:
    """The pathway service's part: status, hours credited from attendance, transfers."""
    if not part:
        return [_p("Parcours d'intégration", h2), _p("aucun parcours dans ce centre", body)]
    p = part["pathway"]
    return [_p("Parcours d'intégration", h2),
            _rows([("Statut", p.get("status") or "—"), ("Ouvert le", p.get("opened_on") or "—")]
                  + [(f"Présence du {a.get('session_date')}",
                      f"{a.get('training')} : {a.get('hours')} h") for a in part["attendance"]]
                  + [(f"Transfert {t.get('from_centre')} → {t.get('to_centre')}",
                      t.get("state") or "—") for t in part["transfers"]], body)]
