"""The practitioner's training certificate (« attestation de formation ») as a French
PDF, drawn with reportlab like the pathway's attestation. It names the practitioner:
it is made on request for authorised staff and never stored."""
from __future__ import annotations

import io
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")


def french_date(iso_day: str) -> str:
    y, m, d = (int(x) for x in iso_day.split("-"))
    return f"{d}{'er' if d == 1 else ''} {MONTHS[m - 1]} {y}"


def _hours(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def render(*, centre_name: str, training: dict[str, Any], theme_label: str,
           practitioner: dict[str, Any], attendance: dict[str, float], issued_on: str,
           number: str) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setTitle(f"Attestation de formation {number}")
    c.setAuthor(centre_name)
    _, height = A4
    x, y = 25 * mm, height - 30 * mm
    c.setFont("Helvetica-Bold", 17)
    c.drawString(x, y, "Attestation de formation")
    c.setFont("Helvetica", 11)
    c.drawString(x, y - 7 * mm, "Formation des intervenants de l'intégration — Wallonie")
    y -= 22 * mm
    hours = sum(attendance.values())
    present = sorted(d for d, h in attendance.items() if h)
    lines = [f"Numéro : {number}", f"Délivrée le : {french_date(issued_on)}",
             f"Par : {centre_name}", "",
             f"Le centre régional d'intégration atteste que {practitioner['name']}",
             f"({practitioner['role']}, {practitioner['organisation']})",
             f"a suivi la formation « {training['title']} »",
             f"(thème : {theme_label}), pour un total de {_hours(hours)} heures,",
             f"en {len(present)} séance(s) :"]
    for line in lines:
        c.drawString(x, y, line)
        y -= 7 * mm
    for day in present:
        c.drawString(x + 3 * mm, y, f"• {french_date(day)} : {_hours(attendance[day])} h")
        y -= 6 * mm
        if y < 40 * mm:
            break
    c.setFont("Helvetica", 9)
    c.drawString(x, 25 * mm, "Document établi à la demande de l'intervenant ou de son "
                 "organisation ; il n'est pas conservé par le centre.")
    c.showPage()
    c.save()
    return buf.getvalue()
