"""The pathway service's web process: `gunicorn 'services.pathway.app:create_app()'`."""
from __future__ import annotations

from shared.web.app import create_base_app
from shared.web.rate_limit import limit_public
from shared.web.service import build_app

from shared import wiring
from services.pathway.api.common import READERS
from services.pathway.api import attestations, commands, pathways, transfers, work_queues
from services.pathway.api.verification_page import page as verification_page
from services.pathway.bootstrap import PathwayServices, services

TITLE = "CRI — parcours d'intégration"
STAFF = (*READERS, "dpo", "auditeur")      # the door; views narrow (partners: never)
BLUEPRINTS = [pathways.blp, commands.blp, work_queues.blp, transfers.blp, attestations.blp]
# The public attestation checks (HTML page and JSON): one limit per client address.
PUBLIC_ENDPOINTS = ("verification-page.verify", "attestations.verification")


def create_app(svc: PathwayServices | None = None, with_probes: bool = True):
    """`with_probes=False` lets tests build several centres' apps in one process:
    shared.web.probes can build its blueprint only once per process."""
    svc = svc or services()
    if with_probes:
        app = build_app(svc.runtime, TITLE, blueprints=BLUEPRINTS, roles=STAFF)
    else:
        app, api = create_base_app(svc.config, TITLE, ready_checks=[svc.runtime.ping_store],
                                   roles=STAFF)
        app.extensions["cri_runtime"] = svc.runtime
        for blp in BLUEPRINTS:
            api.register_blueprint(blp)
    app.register_blueprint(verification_page)
    limit_public(app, PUBLIC_ENDPOINTS, svc.config.public_rate_limit, "attestation-check",
                 store=lambda: svc.db["rate_limits"])
    return wiring.install(app, svc)
