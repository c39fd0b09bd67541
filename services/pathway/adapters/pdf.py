"""The attestation as a French PDF ("attestation de fréquentation"), with a QR code that
opens the public verification page. Only the holder's initials appear: the pathway
service never holds a name.
"""
from __future__ import annotations

import io
from typing import Any

import qrcode
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

TRAINING_LABELS = {"citizenship": "Formation à la citoyenneté (FIC)",
                   "french": "Français langue étrangère (FLE)",
                   "osp": "Orientation socioprofessionnelle (OSP)"}
ENDED_BY = {"hours": "heures suivies", "level_proven": "niveau A2 attesté",
            "operator_report": "attestée par l'opérateur"}


def french_date(iso_day: str) -> str:
    months = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
              "septembre", "octobre", "novembre", "décembre")
    y, m, d = (int(x) for x in iso_day.split("-"))
    return f"{d}{'er' if d == 1 else ''} {months[m - 1]} {y}"


def render(attestation: dict[str, Any], centre_name: str, trainings: dict[str, dict],
           verification_url: str) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setTitle(f"Attestation de fréquentation {attestation['number']}")
    c.setAuthor(centre_name)
    width, height = A4
    y = height - 30 * mm
    c.setFont("Helvetica-Bold", 17)
    c.drawString(25 * mm, y, "Attestation de fréquentation")
    c.setFont("Helvetica", 11)
    c.drawString(25 * mm, y - 7 * mm, "Parcours d'intégration des personnes étrangères — Wallonie")
    y -= 22 * mm
    lines = [
        f"Numéro : {attestation['number']}",
        f"Délivrée le : {french_date(attestation['issued_on'])}",
        f"Par : {centre_name}",
        f"Titulaire (initiales) : {attestation['holder_initials']}",
    ]
    for line in lines:
        c.drawString(25 * mm, y, line)
        y -= 7 * mm
    y -= 4 * mm
    c.setFont("Helvetica-Bold", 11)
    c.drawString(25 * mm, y, "Formations de la convention d'accueil")
    c.setFont("Helvetica", 11)
    y -= 7 * mm
    for training, status in trainings.items():
        how = ENDED_BY.get(status.get("ended_by") or "", "")
        c.drawString(28 * mm, y, f"• {TRAINING_LABELS.get(training, training)} : "
                     f"{status['credited']:g} h / {status['required']:g} h ({how})")
        y -= 7 * mm
    y -= 6 * mm
    c.drawString(25 * mm, y, "Le centre régional d'intégration atteste que la personne a suivi")
    c.drawString(25 * mm, y - 5 * mm, "les formations prévues par sa convention d'accueil.")
    if attestation.get("status") == "revoked":
        c.setFont("Helvetica-Bold", 14)
        c.setFillColorRGB(0.7, 0, 0)
        c.drawString(25 * mm, y - 16 * mm, "ATTESTATION RÉVOQUÉE")
        c.setFillColorRGB(0, 0, 0)
    _qr(c, verification_url, 25 * mm, 35 * mm, 35 * mm)
    c.setFont("Helvetica", 9)
    c.drawString(65 * mm, 60 * mm, "Vérification publique (commune, CPAS) :")
    c.drawString(65 * mm, 55 * mm, verification_url)
    c.drawString(65 * mm, 48 * mm,
                 "Seuls le numéro, la date, le centre et les initiales y sont affichés.")
    c.showPage()
    c.save()
    return buf.getvalue()


def _qr(c: canvas.Canvas, data: str, x: float, y: float, size: float) -> None:
    """Draw the QR code's modules as squares: vector, sharp at any print size."""
    qr = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(data)
    qr.make(fit=True)
    matrix = qr.get_matrix()
    cell = size / len(matrix)
    for row, bits in enumerate(matrix):
        for col, on in enumerate(bits):
            if on:
                c.rect(x + col * cell, y + size - (row + 1) * cell, cell, cell,
                       stroke=0, fill=1)
