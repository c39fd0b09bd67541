"""Fixtures for intake's end-to-end tests: the running two-centre stack (real gunicorn,
Kafka and FerretDB), clients per centre and role, and direct looks at the stores."""
from __future__ import annotations

import pytest

from services.catalog import build_registry
from shared.store.commits import CommitStore
from shared.store.layout import is_commit
from tests.api_client import ApiClient



class Intake:
    def __init__(self, stack, mongo, infra):
        self.stack = stack
        self.mongo = mongo
        self.kafka = infra["kafka_bootstrap_servers"]

    def url(self, centre: str) -> str:
        return self.stack.url(centre, "intake")

    def client(self, centre: str, role: str, *, token_centre: str | None = None,
               subject: str | None = None) -> ApiClient:
        token = self.stack.stack.issuer().token([role], token_centre or centre, subject)
        return ApiClient(self.url(centre), token)

    def db(self, centre: str):
        return self.mongo[f"cri_{centre}_intake"]

    def store(self, centre: str, cipher=None) -> CommitStore:
        return CommitStore(self.db(centre)["commits"], build_registry(), cipher)

    def counts(self, centre: str) -> dict[str, int]:
        db = self.db(centre)
        docs = list(db["commits"].find({}, {"stream_id": 1, "version": 1}))
        out = {"commits": sum(1 for d in docs if is_commit(d)),
               "claims": db["claims"].count_documents({})}
        # person keys only: beside the commits are claims and sightings too, which the
        # worker writes for other people's events at any time
        out["keys"] = sum(1 for d in docs if not is_commit(d)
                          and not str(d["_id"]).startswith(("seen:", "claim:", "weak:")))
        return out

    def person_commits(self, centre: str) -> int:
        return self.db(centre)["commits"].count_documents({"stream_id": {"$regex": "^person-"}})


@pytest.fixture(scope="session")
def intake(stack, mongo, infra) -> Intake:
    return Intake(stack, mongo, infra)


@pytest.fixture(scope="session")
def accueil(intake) -> ApiClient:
    return intake.client("cripel", "accueil", subject="agent-accueil-cripel")


@pytest.fixture(scope="session")
def register(accueil):
    """POST a registration at cripel; returns the created file (asserts 201)."""
    def _register(body: dict, client: ApiClient | None = None) -> dict:
        r = (client or accueil).post("/api/v1/persons", json=body)
        assert r.status_code == 201, r.text
        return r.json()
    return _register
