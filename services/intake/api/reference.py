"""Reference data for the screens (French names) and the cross-centre duplicate check."""
from __future__ import annotations

from functools import lru_cache

import belgica
import pycountry
from flask.views import MethodView
from shared.web.blueprint import Blueprint

from shared.errors import ValidationFailed
from services.intake.api import common
from services.intake.api.schemas import DuplicateIn, RefArgs
from services.intake.api.schemas_out import DuplicateOut
from services.intake.domain.access import PURPOSES
from services.intake.domain.commands import (BILAN_THEMES, CEFR_LEVELS, CONSENT_PURPOSES,
                                             CONSENT_RECIPIENTS, ERASURE_REASONS)
from services.intake.domain.dispenses import DISPENSE_GROUNDS
from services.intake.domain.nationalities import _USER_ASSIGNED, nationality_name
from services.intake.domain.permits import PERMIT_TYPES
from services.intake.domain.privacy import normalise_name, pseudonym
from services.intake.domain.territory import CENTRES, competent_centre

blp = Blueprint("intake-reference", __name__, url_prefix="/api/v1",
                description="Listes de référence et détection des doublons entre centres")


@lru_cache(maxsize=1)
def communes() -> tuple[dict, ...]:
    """Communes of French-speaking Wallonia (belgica), with their centre."""
    out = []
    for m in belgica.municipalities():
        centre = competent_centre(m["id"])
        if centre:
            codes = sorted({p["postalCode"] for p in belgica.get_postal_codes(m["id"])})
            out.append({"nis": m["id"], "name": m["name"]["fr"], "postal_codes": codes,
                        "centre": centre, "centre_name": CENTRES[centre]["name"]})
    return tuple(sorted(out, key=lambda c: normalise_name(c["name"])))


@lru_cache(maxsize=1)
def nationalities() -> tuple[dict, ...]:
    codes = {c.alpha_2 for c in pycountry.countries} | set(_USER_ASSIGNED)
    items = [{"code": c, "name": nationality_name(c)} for c in codes]
    return tuple(sorted(items, key=lambda n: normalise_name(n["name"])))


@blp.route("/reference/communes")
class Communes(MethodView):
    @blp.arguments(RefArgs, location="query")
    @blp.response(200)
    def get(self, args):
        """Communes (nom français, code INS, codes postaux, centre compétent)."""
        common.guard(*common.STAFF)
        q = normalise_name(args["q"] or "")
        here = common.svc().centre
        items = [{**c, "in_this_centre": c["centre"] == here} for c in communes()
                 if not q or q in normalise_name(c["name"])
                 or any(p.startswith(q) for p in c["postal_codes"])]
        return {"items": items, "total": len(items)}


@blp.route("/reference/nationalities")
class Nationalities(MethodView):
    @blp.response(200)
    def get(self):
        """Nationalités (ISO 3166-1 alpha-2, noms français)."""
        common.guard(*common.STAFF)
        return {"items": list(nationalities())}


@blp.route("/reference/vocabularies")
class Vocabularies(MethodView):
    @blp.response(200)
    def get(self):
        """Codes et libellés : titres de séjour, motifs de dispense, thèmes du bilan…"""
        common.guard(*common.STAFF)
        return {"permit_types": {k: p.label_fr for k, p in PERMIT_TYPES.items()},
                "dispense_grounds": DISPENSE_GROUNDS, "bilan_themes": BILAN_THEMES,
                "cefr_levels": list(CEFR_LEVELS), "consent_purposes": CONSENT_PURPOSES,
                "consent_recipients": sorted(CONSENT_RECIPIENTS),
                "erasure_reasons": ERASURE_REASONS, "access_purposes": PURPOSES,
                "centres": {k: c["name"] for k, c in CENTRES.items()}}


@blp.route("/duplicates/lookup")
class Duplicates(MethodView):
    @blp.arguments(DuplicateIn)
    @blp.response(200, DuplicateOut)
    def post(self, args):
        """Où la personne est-elle déjà suivie ? Les centres seulement, jamais leurs
        données. Par numéro national (fort) ou nom + date de naissance + nationalité
        (faible), dans le corps JSON : jamais dans l'URL. Rôles : accueil, coordination."""
        common.guard("accueil", "coordination")
        svc = common.svc()
        if not args["national_number"]:
            missing = [k for k in ("last_name", "first_names", "birth_date", "nationality")
                       if not args[k]]
            if missing:
                msg = "Numéro national, ou nom, prénoms, date de naissance et nationalité."
                raise ValidationFailed(msg, message_en="National number, or names, birth "
                                       "date and nationality.", fields={k: [msg] for k in missing})
        value, strength = pseudonym(
            args["national_number"],
            (f"{args['last_name']} {args['first_names']}", args["birth_date"],
             args["nationality"] or "") if not args["national_number"] else None,
            regional_secret=svc.regional_secret)
        holder = svc.claims.holder(value) if strength == "strong" else None
        return {"pseudonym_strength": strength, "followed_in": svc.pseudonyms.centres(value),
                "in_this_centre": [holder] if holder else []}
