"""/api/v1/persons: register (« inscription »), search and list, read a file."""
from __future__ import annotations

from flask.views import MethodView
from shared.web.blueprint import Blueprint

from services.intake.api import common
from services.intake.api.schemas import ListArgs, PurposeArgs, RegisterIn, SearchIn
from services.intake.api.schemas_out import PageOut, PersonFileOut, RegisteredOut
from services.intake.domain.access import check_purpose
from services.intake.domain.commands import Address, RecordDispense, RegisterPerson
from services.intake.service_layer import handlers
from services.intake.service_layer.views import file_view

blp = Blueprint("intake-persons", __name__, url_prefix="/api/v1/persons",
                description="Dossiers des personnes : inscription, recherche, consultation")


def command(body: dict) -> RegisterPerson:
    address = body["address"]
    return RegisterPerson(
        person_id="", centre="", last_name=body["last_name"], first_names=body["first_names"],
        birth_date=body["birth_date"], sex=body["sex"], nationality=body["nationality"],
        commune_nis=body["commune_nis"], address=Address(**address) if address else None,
        permit_type=body["permit_type"], permit_order_date=body["permit_order_date"],
        arrival_date=body["arrival_date"], national_number=body["national_number"] or None,
        phone=body["phone"], email=body["email"], notes=body["notes"],
        languages=tuple(body["languages"]), interpreter_needed=body["interpreter_needed"])


@blp.route("")
class Persons(MethodView):
    @blp.arguments(RegisterIn)
    @blp.response(201, RegisteredOut)
    def post(self, body):
        """Inscrire une personne ; la décision d'obligation est calculée aussitôt.

        Rôle : accueil. `also_followed_in` nomme les autres centres qui suivent déjà
        la personne (pseudonyme régional), sans jamais leurs données. Un dossier du
        centre de même numéro national, ou de mêmes noms, date de naissance et
        nationalité : 409 qui le nomme (`existing_person_id`), sauf homonyme confirmé
        (`homonym_confirmed` et `homonym_justification`, consignés dans l'événement)."""
        who = common.guard("accueil")
        dispenses = [RecordDispense(d["ground"], d["evidence_ref"]) for d in body["dispenses"]]
        homonym = body["homonym_justification"] if body["homonym_confirmed"] else None
        saved, elsewhere = handlers.register(common.svc(), who, command(body), dispenses,
                                             body["wants_voluntary"], homonym)
        view = {**file_view(saved.state, saved.version), "also_followed_in": elsewhere}
        headers = {**common.etag(saved.version),
                   "Location": f"/api/v1/persons/{saved.state.person_id}"}
        return view, 201, headers

    @blp.arguments(ListArgs, location="query")
    @blp.response(200, PageOut)
    def get(self, args):
        """Lister et filtrer (statut, commune), sans critère personnel dans l'URL : la
        recherche par nom se fait par `POST /api/v1/persons/search`.

        Rôles : accueil, coordination. Réponse paginée {items, total, page, page_size}.
        La page affichée est journalisée (qui, quand, finalité, quels dossiers)."""
        return _page(args)


@blp.route("/search")
class PersonSearch(MethodView):
    @blp.arguments(SearchIn, required=False)   # every criterion is optional
    @blp.response(200, PageOut)
    def post(self, body):
        """Rechercher par partie du nom (sans accents ni casse) et filtrer ; les critères
        voyagent dans le corps JSON, jamais dans l'URL (journaux d'accès).

        Rôles : accueil, coordination. Réponse paginée {items, total, page, page_size}.
        La page affichée est journalisée (qui, quand, finalité, quels dossiers)."""
        return _page(body)


def _page(args: dict) -> dict:
    who = common.guard("accueil", "coordination")
    purpose = check_purpose(common.purpose(args))
    filters = {k: args[a] for k, a in (("status", "status"), ("commune_nis", "commune"))
               if args.get(a)}
    items, total = common.svc().directory.search(args.get("q"), filters, args["page"],
                                                args["page_size"])
    common.svc().access_log.record_list([i["person_id"] for i in items], who, purpose)
    return {"items": items, "total": total, "page": args["page"],
            "page_size": args["page_size"]}


@blp.route("/<uuid:person_id>")
class PersonFile(MethodView):
    @blp.arguments(PurposeArgs, location="query")
    @blp.response(200, PersonFileOut)
    def get(self, args, person_id):
        """Consulter le dossier (consultation journalisée : qui, quand, finalité).

        Rôles : accueil, coordination, dpo. ETag = version du dossier."""
        who = common.guard(*common.READERS)
        loaded = handlers.read(common.svc(), who, str(person_id), common.purpose(args))
        return file_view(loaded.state, loaded.version), 200, common.etag(loaded.version)
