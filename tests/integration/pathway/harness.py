"""In-process centres for the pathway's integration tests: real FerretDB stores, the
real handlers and API (Flask test client), and `pump`, which publishes outbox commits
through the real CloudEvents encoding to the consumers Kafka would feed. The e2e tests
do the same over real Kafka and real processes."""
from __future__ import annotations

import uuid
from datetime import date

from shared.auth import DevIssuer
from shared.config import Config
from shared.events import envelope
from shared.events.envelope import REGION_TRANSFERS, Envelope
from shared.store.layout import logical

from services.pathway.app import create_app
from services.pathway.bootstrap import ROUTES, bootstrap
from services.pathway.consumers.loops import each, own_topic, region
from services.pathway.service_layer import attendance, intake
from services.intake.domain.territory import CENTRES
from tests.transfer_keys import config_fields, make_keys


class Api:
    def __init__(self, client, token: str):
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}", "Accept-Language": "fr"}

    def get(self, path, **kw):
        return self.client.get(path, headers=self.headers, **kw)

    def post(self, path, json=None, etag=None):
        headers = dict(self.headers)
        if etag is not None:
            headers["If-Match"] = f'"{etag}"'
        return self.client.post(path, json=json if json is not None else {}, headers=headers)


# every centre of the region, so that any two of them can move a pathway between them
KEYS = make_keys(CENTRES)


class Centre:
    def __init__(self, name: str, mongo, uri: str, issuer: DevIssuer, today: date):
        self.name = name
        self.db_name = f"t_{name}_{uuid.uuid4().hex[:8]}"
        self.mongo = mongo
        cfg = Config(service="pathway", centre=name, kafka_bootstrap_servers="unused:9092",
                     mongodb_uri=uri, mongodb_db=self.db_name,
                     jwt_public_key=issuer.public_key_file.read_text(),
                     public_base_url=f"https://{name}.example.test",
                     **config_fields(KEYS, name))
        self.svc = bootstrap(cfg, today=lambda: today)
        self.app = create_app(self.svc, with_probes=False)
        self.issuer = issuer
        self.pumped: set[str] = set()   # commit ids already delivered by pump()
        self.handlers = {"intake": each(self.svc, intake.handle),
                         "partners": lambda envs: attendance.handle(self.svc, envs),
                         "region": region(self.svc), "self": own_topic(self.svc)}
        self._seq = 0

    def api(self, role: str = "coordination", centre: str | None = None) -> Api:
        return Api(self.app.test_client(), self.issuer.token([role], centre or self.name))

    def feed(self, topic_kind: str, event_type: str, data: dict, subject: str) -> None:
        """A message from another service of this centre, as the consumer would get it."""
        self._seq += 1
        service = topic_kind
        env = Envelope(f"{subject}:{self._seq:010d}.000", envelope.source(self.name, service),
                       event_type, 1, "2026-01-01T00:00:00+00:00", subject,
                       envelope.sequence(self._seq, 0), data)
        self.svc.store.registry.read(event_type, 1, data)  # refuses what intake could not send
        self.handlers[topic_kind]([env])

    def drop(self) -> None:
        self.mongo.drop_database(self.db_name)


def pump(*centres: Centre, rounds: int = 20) -> int:
    """Publish every centre's outbox and deliver: own topic to its centre, region
    messages to every centre, until nothing is left. Returns the messages delivered."""
    delivered = 0
    for _ in range(rounds):
        batch: list[tuple[Centre, str, Envelope]] = []
        for c in centres:
            store = c.svc.store
            docs = sorted((logical(d) for d in store.collection.find({})
                           if d["_id"] not in c.pumped), key=lambda d: d["_id"])
            for doc in docs:
                for i, ev in enumerate(doc["events"]):
                    key, value, headers = envelope.encode(
                        c.svc.config.source, doc["stream_id"], doc["version"], i,
                        doc["recorded_at"], ev)
                    env = envelope.decode([(k, v) for k, v in headers], value)
                    read = store.registry.read(env.type, env.version, env.data)
                    env = Envelope(env.id, env.source, read.type, read.version, env.time,
                                   env.subject, env.sequence, read.data)
                    batch.append((c, ROUTES.get(ev["type"], "own"), env))
            c.pumped.update(d["_id"] for d in docs)
        if not batch:
            return delivered
        for origin, topic, env in batch:
            if topic == REGION_TRANSFERS:
                for c in centres:
                    c.handlers["region"]([env])
            else:
                origin.handlers["self"]([env])
            delivered += 1
    raise AssertionError("outboxes never drained")


def follow(c: Centre, person: str, *, status: str = "obligated", deadline: str | None = None,
           rule_version: str = "2016-v1", french_level: str = "A2", hours=(),
           reception_on: str = "2025-09-12", signed_on: str | None = "2025-09-15") -> str:
    """Open a pathway from intake's facts, complete the reception module over the API and
    sign the convention (unless `signed_on` is None); credit `hours` of citizenship."""
    from . import facts
    subject = f"person-{person}"
    c.feed("intake", "intake.EligibilityDecided",
           facts.decided(person, status, deadline, rule_version), subject)
    c.feed("intake", "intake.BilanSocialRecorded", facts.bilan(person, on=reception_on), subject)
    c.feed("intake", "intake.FrenchTestRecorded",
           facts.french_test(person, french_level, on=reception_on), subject)
    api, base = c.api(), f"/api/v1/pathways/{person}"
    for body in ({"step": "information", "done_on": reception_on, "session": "individual"},
                 {"step": "administrative_help", "done_on": reception_on}):
        etag = api.get(base).headers["ETag"].strip('"')
        assert api.post(f"{base}/reception-steps", body, etag=etag).status_code == 200
    if signed_on:
        etag = api.get(base).headers["ETag"].strip('"')
        r = api.post(f"{base}/convention", {"signed_on": signed_on}, etag=etag)
        assert r.status_code == 200, r.json
    for i, h in enumerate(hours):
        c.feed("partners", "partners.AttendanceRecorded",
               facts.attendance(person, f"{person}-a{i}", hours=h), f"attendance-{person}-{i}")
    return subject
