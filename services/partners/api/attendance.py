"""/api/v1/attendance: an operator reports the hours of the people referred to it, one
report at a time or as a CSV file (Excel's « CSV UTF-8 », `;` or `,`)."""
from __future__ import annotations

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from shared.errors import ValidationFailed
from shared.web.app import allow, with_etag
from shared.web.limits import allow_body

from services.partners.adapters.streams import attendance_stream
from services.partners.api import common
from services.partners.api.schemas import AttendanceArgs, AttendanceIn, AttendanceOut, PageOut, UploadOut
from services.partners.service_layer import attendance, offers

MAX_CSV_BYTES = 16 * 1024 * 1024   # 50,000 rows (the most one file may hold) are about 3 MB

blp = Blueprint("attendance", __name__, url_prefix="/api/v1/attendance",
                description="Présences aux formations (rapports des opérateurs)")


@blp.route("")
class Attendance(MethodView):
    @blp.arguments(AttendanceArgs, location="query")
    @blp.response(200, PageOut)
    def get(self, args):
        """Les présences déclarées pour une orientation"""
        s, who = common.svc(), common.who()
        offers.find_referral(s, who, args["referral_id"])
        docs = s.read_model.find("attendance", referral_id=args["referral_id"])
        docs.sort(key=lambda d: d["session_date"])
        return common.page([common.strip(d) for d in docs], args)

    @allow("partenaire", "coordination")      # before the body: 403, not 422
    @blp.arguments(AttendanceIn)
    @blp.response(201, AttendanceOut)
    @blp.alt_response(200, schema=AttendanceOut, success=True,
                      description="Rapport déjà enregistré (mêmes faits) : rien de neuf")
    def post(self, body):
        """Déclarer une présence ou une absence (partenaire : pour une orientation)"""
        loaded, created = attendance.record(common.svc(), common.writer(), body)
        aid = loaded.state[-1].data["attendance_id"]
        return with_etag({"attendance_id": aid, "stream_id": attendance_stream(aid),
                          "version": loaded.version, "created": created},
                         loaded.version, 201 if created else 200)


@blp.route("/csv", methods=["POST"])
@allow_body(MAX_CSV_BYTES)
@blp.response(200, UploadOut)
def upload():
    """Déposer un fichier CSV de présences (colonnes : orientation;date;heures;presence;motif)

    Corps `text/csv`, ou formulaire `multipart/form-data` avec le champ `fichier`.
    Chaque ligne est vérifiée ; la réponse liste les lignes refusées (numéro, motif) ;
    les bonnes lignes sont appliquées une fois ; déposer à nouveau le même fichier ne
    change rien. Une ligne `correction` = oui remplace une présence déjà déclarée.
    """
    who = common.writer()
    if request.mimetype == "multipart/form-data":
        f = request.files.get("fichier")
        if f is None:
            raise ValidationFailed("champ « fichier » manquant", message_en="missing file",
                                   fields={"fichier": ["requis"]})
        stream = f.stream
    elif request.mimetype in ("text/csv", "text/plain", "application/octet-stream",
                              "application/vnd.ms-excel"):
        stream = request.stream
    else:
        raise ValidationFailed("envoyez le fichier en text/csv ou multipart/form-data",
                               message_en="send text/csv or multipart/form-data")
    return attendance.upload(common.svc(), who, stream)
