"""GET /api/v1/probes: probes seen per centre and service."""
from __future__ import annotations

from collections import Counter

from flask.views import MethodView
from flask_smorest import Blueprint

from shared.web.app import principal
from services.reporting.api.access import allowed_centre
from services.reporting.api.common import svc

blp = Blueprint("reporting-probes", __name__, url_prefix="/api/v1/probes",
                description="Sondes reçues par centre et service")


@blp.route("")
class Probes(MethodView):
    @blp.response(200)
    def get(self):
        allowed_centre(principal(), None)     # reporting's read roles only
        db = svc().db
        counts = Counter((d["centre"], d["service"]) for d in db["probes"].find())
        return {"items": [{"centre": c, "service": s, "count": n}
                          for (c, s), n in sorted(counts.items())]}
