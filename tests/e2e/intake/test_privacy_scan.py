"""Privacy boundary: 1,000 generated people registered over HTTP, then every message on
every intake topic (and the region's transfer topic), from offset 0: no name, birth
date, national number, street, phone or e-mail of any of them, in any value, key or
header."""
from __future__ import annotations

import json
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from tests.api_client import eventually
from tests.e2e.intake import kafka_scan, people

PEOPLE = 1000
TOPICS = r"^(cri\.[a-z0-9]+\.intake\.events(\.dlq)?|cri\.region\.transfers(\.dlq)?)$"
_EXTRACT = [re.compile(p) for p in (
    r"\w+", r"[\w.+-]+@[\w.-]+", r"\d{4}-\d{2}-\d{2}", r"\d{2}/\d{2}/\d{4}",
    r"\d{2}\.\d{2}\.\d{2}-\d{3}\.\d{2}", r"\+?\d[\d ]{6,}\d")]


def _register_many(intake, n: int) -> list[tuple[dict, str]]:
    local = threading.local()

    def one(i: int) -> tuple[dict, str]:
        centre = "cripel" if i % 5 else "cai"
        if not hasattr(local, "clients"):
            local.clients = {c: intake.client(c, "accueil") for c in ("cripel", "cai")}
        body = people.body(centre, with_number=i % 10 != 0, notes=f"Note {people.word(2)}")
        r = local.clients[centre].post("/api/v1/persons", json=body)
        assert r.status_code == 201, r.text
        return body, r.json()["person_id"]

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(one, range(n)))


def _texts(record) -> list[str]:
    out = [record.value.decode("utf-8", "replace"),
           (record.key or b"").decode("utf-8", "replace")]
    out += [v.decode("utf-8", "replace") for _, v in record.headers or []]
    return out


def test_no_personal_data_on_the_bus(intake):
    started = time.time()
    registered = _register_many(intake, PEOPLE)
    print(f"\n[privacy] {PEOPLE} registrations in {time.time() - started:.0f} s")
    wanted = {f"person-{pid}" for _, pid in registered}

    def everything_published():
        records = kafka_scan.read_all(intake.kafka, kafka_scan.topics_matching(intake.kafka,
                                                                               TOPICS))
        subjects = {dict(r.headers)["ce_subject"].decode() for r in records
                    if dict(r.headers).get("ce_type", b"").endswith(b".PersonRegistered.v1")}
        assert wanted <= subjects, f"{len(wanted - subjects)} files not published yet"
        return records
    records = eventually(everything_published, 120, 2)
    print(f"[privacy] {len(records)} messages read, all files published after "
          f"{time.time() - started:.0f} s")

    tokens: set[str] = set()
    texts = []
    for record in records:
        for text in _texts(record):
            texts.append(text)
            for pattern in _EXTRACT:
                for found in pattern.findall(text):
                    tokens.add(found)
                    tokens.add(found.replace(" ", ""))
    leaks = {n for body, _ in registered for n in people.needles(body) if n in tokens}
    assert not leaks, sorted(leaks)[:20]
    # belt and braces: plain substring search for a sample of people
    blob = "\n".join(texts)
    for body, _ in registered[:40]:
        for needle in people.needles(body):
            assert needle not in blob, needle
    # what is there is what should be: ids, pseudonyms and coarse attributes
    sample = json.loads(next(r.value for r in records if dict(r.headers)["ce_subject"].decode()
                             == f"person-{registered[0][1]}"))
    assert {"pseudonym", "age_band", "sex", "nationality", "commune_nis"} <= set(sample)
