"""Attestations de fréquentation: issue (with a unique number), revoke, verify, print.

The number is taken only once the domain agrees (a dry run with a placeholder number),
so a refusal never burns a number; only a crash or a lost race between reservation and
append leaves a reserved, unused one.
"""
from __future__ import annotations

from typing import Any

from shared.application import check_version
from shared.errors import NotFound

from services.pathway.adapters import pdf
from services.pathway.adapters.numbers import centre_code
from services.pathway.bootstrap import PathwayServices
from services.pathway.domain import (IssueAttestation, RevokeAttestation,
                                     decide_issue_attestation, decide_revoke_attestation,
                                     requirements_status)
from services.pathway.domain.vocab import CENTRE_NAMES

from .commands import load_visible, run_api


def issue(svc: PathwayServices, person_id: str, initials: str, if_match: int | None):
    today = svc.today()
    loaded = load_visible(svc, person_id)
    placeholder = f"{centre_code(svc.centre)}-{today.year}-000000"
    decide_issue_attestation(loaded.state, IssueAttestation(placeholder, initials), today)
    check_version(loaded, if_match)
    number = svc.numbers.allocate(svc.centre, today.year, person_id)
    after = run_api(svc, person_id, decide_issue_attestation,
                    IssueAttestation(number, initials, today), if_match)
    svc.numbers.mark_issued(number)
    return after, number


def _attestation(svc: PathwayServices, number: str) -> dict[str, Any]:
    doc = svc.read_model.attestation(number)
    if doc is None:
        raise NotFound(f"aucune attestation n° {number} délivrée par ce centre",
                       message_en=f"no certificate number {number} issued by this centre")
    return doc


def revoke(svc: PathwayServices, number: str, reason: str, if_match: int | None):
    doc = _attestation(svc, number)
    return run_api(svc, doc["person_id"], decide_revoke_attestation,
                   RevokeAttestation(number, reason), if_match)


def verification(svc: PathwayServices, number: str) -> dict[str, Any]:
    """The public view: number, date, centre, initials, status. Nothing else."""
    doc = _attestation(svc, number)
    return {"number": doc["number"], "issued_on": doc["issued_on"],
            "centre": doc["centre"], "centre_name": CENTRE_NAMES.get(doc["centre"],
                                                                     doc["centre"]),
            "initials": doc["holder_initials"], "status": doc["status"],
            "revoked_on": doc["revoked_on"]}


def verification_url(svc: PathwayServices, number: str) -> str:
    return f"{svc.config.public_base_url.rstrip('/')}/verification/{number}"


def render_pdf(svc: PathwayServices, number: str) -> bytes:
    doc = _attestation(svc, number)
    state = svc.pathways.load(doc["person_id"]).state
    return pdf.render(doc, CENTRE_NAMES.get(doc["centre"], doc["centre"]),
                      requirements_status(state), verification_url(svc, number))
