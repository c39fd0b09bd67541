"""Realistic demo data for the local stack, sent through the public APIs like staff would.

Per centre: newcomers registered at the reception office (obligated, voluntary and
dispensed; permits before and after the 2025 reform), bilans sociaux and French tests,
then the pathway: reception module, convention, hours reported by partners, a few
attestations; and one person moving from the first centre to the second (transfer).
Names are fictitious. Runs only when the first centre's intake store is empty.
"""
from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import requests
from stdnum.be import nn

from services.demo_people import COMMUNES, FIRST, LAST, NATIONALITIES, synthetic_niss

PER_CENTRE = 36


class Api:
    def __init__(self, base: str, token: str):
        self.base = base
        self.s = requests.Session()
        self.s.headers["Authorization"] = f"Bearer {token}"

    def call(self, method: str, path: str, body=None, etag=None, ok=(200, 201)):
        headers = {"If-Match": f'"{etag}"'} if etag is not None else {}
        r = self.s.request(method, self.base + path, json=body, headers=headers, timeout=30)
        if r.status_code not in ok:
            raise RuntimeError(f"{method} {path}: {r.status_code} {r.text[:300]}")
        return r


def _etag(r) -> str:
    return r.headers["ETag"].strip('"')


def _niss(rng: random.Random, birth: date, male: bool) -> str:
    while True:
        serial = rng.randrange(1, 997)
        if (serial % 2 == 1) == male:
            break
    number = synthetic_niss(birth, serial)
    nn.validate(number)
    return number


def person(rng: random.Random, centre: str, i: int) -> dict:
    nis, postal, street = rng.choice(COMMUNES[centre])
    nationality = rng.choice(NATIONALITIES)
    male = rng.random() < 0.5
    birth = date(rng.randrange(1965, 2005), rng.randrange(1, 13), rng.randrange(1, 29))
    if i % 9 == 4:
        # 65 or over: dispensed, follows the pathway voluntarily (a day of its own: the
        # same names, birth date and nationality twice would be one person, a 409)
        birth = date(1958, 3, 1 + i % 28)
    permit = date.today() - timedelta(days=rng.randrange(60, 900))
    body = {"last_name": rng.choice(LAST[nationality]),
            "first_names": rng.choice(FIRST[nationality][0 if male else 1]),
            "birth_date": birth.isoformat(), "sex": "M" if male else "F",
            "nationality": nationality, "commune_nis": nis,
            "permit_type": rng.choice(["A", "B", "B", "refugee", "subsidiary_protection"]),
            "permit_order_date": permit.isoformat(),
            "arrival_date": (permit - timedelta(days=rng.randrange(10, 200))).isoformat(),
            "languages": ["fr"] if rng.random() < 0.3 else ["ar", "en"][: rng.randrange(1, 3)],
            "interpreter_needed": rng.random() < 0.4,
            "address": {"street": street, "house_number": str(rng.randrange(1, 180)),
                        "postal_code": postal},
            "phone": f"+32 4{rng.randrange(70, 99)} {rng.randrange(10, 99)} "
                     f"{rng.randrange(10, 99)} {rng.randrange(10, 99)}"}
    if rng.random() < 0.85:
        body["national_number"] = _niss(rng, birth, male)
    if i % 9 == 4:
        body["wants_voluntary"] = True
    if i % 11 == 7:
        body["dispenses"] = [{"ground": "employed_half_time_3_months",
                              "evidence_ref": f"contrat-{i:03d}"}]
    return body


def seed_centre(urls: dict, issuer, centre: str, rng: random.Random) -> dict:
    base = urls["centres"][centre]
    intake = Api(base["intake"], issuer.token(["accueil"], centre))
    pathway = Api(base["pathway"], issuer.token(["coordination"], centre))
    partners = Api(base["partners"], issuer.token(["partenaire"], centre,
                                                  operator_id=f"demo-fle-{centre}"))
    bodies = [person(rng, centre, i) for i in range(PER_CENTRE)]
    with ThreadPoolExecutor(8) as pool:
        people = list(pool.map(lambda b: intake.call("POST", "/api/v1/persons", b).json(),
                               bodies))
    today = date.today().isoformat()
    followed = [p for p in people if p["eligibility"]["status"] in ("obligated", "voluntary")]
    for k, p in enumerate(followed):
        pid = p["person_id"]
        r = intake.call("GET", f"/api/v1/persons/{pid}")
        r = intake.call("PUT", f"/api/v1/persons/{pid}/bilan-social", {
            "needs": {"housing": {"need": k % 3 == 0}, "employment": {"need": k % 2 == 0}}},
            etag=_etag(r))
        level = ["pre-A1", "A1", "A1", "A2", "B1"][k % 5]
        intake.call("POST", f"/api/v1/persons/{pid}/french-tests",
                    {"level": level, "test_date": today, "tester": "Équipe FLE"}, etag=_etag(r))
    signed = attested = 0
    for k, p in enumerate(followed[: len(followed) * 2 // 3]):
        pid = p["person_id"]
        r = _wait(lambda: _reception_ready(pathway, pid))
        if r is None:
            continue
        for step in ({"step": "information", "done_on": today, "session": "group"},
                     {"step": "administrative_help", "done_on": today}):
            r = pathway.call("POST", f"/api/v1/pathways/{pid}/reception-steps", step,
                             etag=_etag(r))
        r = pathway.call("POST", f"/api/v1/pathways/{pid}/convention", {}, etag=_etag(r))
        signed += 1
        hours = 60 if k % 4 == 0 else 8 * (1 + k % 5)
        for n in range(0, hours, 20):
            report = {"attendance_id": f"demo-{centre}-{pid[:8]}-{n}", "person_id": pid,
                      "training": "citizenship", "hours": min(20, hours - n),
                      "session_date": today}
            # 404 until partners has seen the pathway opened (its own projection)
            _wait(lambda: partners.call("POST", "/api/v1/attendance", report,
                                        ok=(200, 201, 404)).status_code != 404 or None)
        if k % 4 == 0:
            done = _wait(lambda: _fic_done(pathway, pid))
            if done is not None and "french" in done.json()["requirements"]:
                done = pathway.call("POST", f"/api/v1/pathways/{pid}/french-level",
                                    {"level": "A2"}, etag=_etag(done))
            if done is not None and "osp" in done.json()["requirements"]:
                done = pathway.call("POST", f"/api/v1/pathways/{pid}/orientation-completion",
                                    {}, etag=_etag(done))
            if done is not None and done.json().get("trainings_done"):
                initials = "".join(w[0] + "." for w in (p.get("first_names", "X"),
                                                         p.get("last_name", "Y")))
                pathway.call("POST", f"/api/v1/pathways/{pid}/attestations",
                             {"holder_initials": initials[:6]}, etag=_etag(done))
                attested += 1
    return {"registered": len(people), "conventions": signed, "attestations": attested,
            "first_followed": followed[-1]["person_id"] if followed else None}


def _reception_ready(pathway: Api, pid: str):
    r = pathway.s.get(f"{pathway.base}/api/v1/pathways/{pid}", timeout=30)
    if r.status_code == 200 and len(r.json()["reception"]["steps"]) >= 2:
        return r
    return None


def _fic_done(pathway: Api, pid: str):
    r = pathway.s.get(f"{pathway.base}/api/v1/pathways/{pid}", timeout=30)
    if r.status_code == 200 and r.json()["requirements"]["citizenship"]["done"]:
        return r
    return None


def _wait(check, timeout: float = 60.0):
    import time
    deadline = time.time() + timeout
    while time.time() < deadline:
        out = check()
        if out is not None:
            return out
        time.sleep(0.5)
    return None


def seed_if_empty(stack, urls: dict) -> dict:
    centres = list(urls["centres"])
    issuer = stack.issuer()
    first = Api(urls["centres"][centres[0]]["intake"], issuer.token(["accueil"], centres[0]))
    if first.call("GET", "/api/v1/persons?page_size=1").json()["total"] > 0:
        return {"skipped": "les stores contiennent déjà des données"}
    rng = random.Random(2026)
    out = {c: seed_centre(urls, issuer, c, rng) for c in centres}
    if len(centres) >= 2 and out[centres[0]]["first_followed"]:
        # One person moves to the second centre's territory: a transfer to accept there.
        pid = out[centres[0]]["first_followed"]
        nis, postal, street = COMMUNES[centres[1]][0]
        r = first.call("GET", f"/api/v1/persons/{pid}")
        first.call("POST", f"/api/v1/persons/{pid}/address", {
            "commune_nis": nis, "address": {"street": street, "house_number": "7",
                                            "postal_code": postal}}, etag=_etag(r))
        out["transfer_proposed"] = f"{centres[0]} -> {centres[1]}"
    return out
