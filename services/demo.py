"""Realistic demo data for the local stack, sent through the public APIs like staff would.

Per centre: newcomers registered at the reception office (obligated, voluntary and
dispensed; permits before and after the 2025 reform), bilans sociaux and French tests,
then the partners (operators, agreements, a citizenship course and a French course with
a waiting list) and the pathway: reception module, convention, referral to the course,
attendance uploaded as CSV by the operator, a few attestations; and one person moving from the first centre to the second (transfer).
Names are fictitious. Runs only when the first centre's intake store is empty.
"""
from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import requests
from stdnum.be import nn

from services.demo_people import COMMUNES, FIRST, LAST, NATIONALITIES, synthetic_niss
from shared import clock

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
    permit = clock.today() - timedelta(days=rng.randrange(60, 900))
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


FIC_SESSIONS, FIC_HOURS = 15, 4          # a 60-hour citizenship course


def seed_partners(base: dict, issuer, centre: str) -> dict:
    """Three operators (an ILI, a CPAS, a school), their agreements, and offers: a FIC
    citizenship course of 60 hours, a French A1 course with a waiting list."""
    coord = Api(base["partners"], issuer.token(["coordination"], centre))
    today = clock.today()
    out = {"coordination": coord, "operators": {}}
    for op, name, kind, bce in ((f"ili-{centre}", "ASBL Lire et Écrire — antenne locale",
                                 "ili", "0203.201.340"),
                                (f"cpas-{centre}", "CPAS — service insertion", "cpas", None),
                                (f"eps-{centre}", "Institut de promotion sociale", "school",
                                 None)):
        commune = COMMUNES[centre][0][0]
        coord.call("POST", "/api/v1/operators", {
            "operator_id": op, "name": name, "type": kind, "bce": bce, "approval": "approved",
            "communes": [commune], "contacts": [{"function": "coordination",
                                                 "email": f"contact@{op}.example.be"}]})
        coord.call("POST", "/api/v1/agreements", {
            "agreement_id": f"conv-{op}", "operator_id": op,
            "subject": {"ili": "citizenship", "cpas": "employment"}.get(kind, "french"),
            "valid_from": f"{today.year}-01-01", "valid_to": f"{today.year}-12-31",
            "quota_kind": "seats", "quota": 200, "funding_ref": f"SPW-{today.year}-{op}"})
        out["operators"][op] = Api(base["partners"],
                                   issuer.token(["partenaire"], centre, operator_id=op))
    days = [(today - timedelta(days=FIC_SESSIONS - n)).isoformat() for n in range(FIC_SESSIONS)]
    ili, eps = out["operators"][f"ili-{centre}"], out["operators"][f"eps-{centre}"]
    ili.call("POST", "/api/v1/offers", {
        "offer_id": f"fic-{centre}", "operator_id": f"ili-{centre}",
        "agreement_id": f"conv-ili-{centre}", "title": "Formation à la citoyenneté (FIC)",
        "kind": "citizenship", "language": "ar", "commune_nis": COMMUNES[centre][0][0],
        "capacity": 60, "sessions": [{"date": d, "hours": FIC_HOURS} for d in days]})
    eps.call("POST", "/api/v1/offers", {
        "offer_id": f"fle-a1-{centre}", "operator_id": f"eps-{centre}",
        "agreement_id": f"conv-eps-{centre}", "title": "Français A1 — cours du soir",
        "kind": "french", "level": "A1", "language": "fr",
        "commune_nis": COMMUNES[centre][0][0], "capacity": 6, "sessions": []})
    out["fic_days"] = days
    return out


def refer(net: dict, centre: str, offer: str, operator: str, pid: str, consent: bool,
          first_name: str) -> str:
    r = net["coordination"].call("POST", "/api/v1/referrals", {
        "offer_id": offer, "person_id": pid, "purpose": "training", "consent": consent,
        "partage": {"first_name": first_name} if consent else None})
    rid = r.json()["referral_id"]
    net["operators"][operator].call("POST", f"/api/v1/referrals/{rid}/acceptance")
    return rid


def seed_centre(urls: dict, issuer, centre: str, rng: random.Random) -> dict:
    base = urls["centres"][centre]
    intake = Api(base["intake"], issuer.token(["accueil"], centre))
    pathway = Api(base["pathway"], issuer.token(["coordination"], centre))
    net = seed_partners(base, issuer, centre)
    bodies = [person(rng, centre, i) for i in range(PER_CENTRE)]
    with ThreadPoolExecutor(8) as pool:
        people = list(pool.map(lambda b: intake.call("POST", "/api/v1/persons", b).json(),
                               bodies))
    today = clock.today().isoformat()
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
        sessions = FIC_SESSIONS if k % 4 == 0 else 2 * (1 + k % 5)
        first_name = (p.get("first_names") or "")[:50]
        rid = refer(net, centre, f"fic-{centre}", f"ili-{centre}", pid,
                    k % 3 == 0 and bool(first_name), first_name)
        lines = ["Orientation;Date;Heures;Présence;Motif"] + [
            f"{rid};{d[8:10]}/{d[5:7]}/{d[:4]};{FIC_HOURS};oui;"
            if n % 7 != 6 or sessions == FIC_SESSIONS else
            f"{rid};{d[8:10]}/{d[5:7]}/{d[:4]};0;non;justifiée"
            for n, d in enumerate(net["fic_days"][:sessions])]
        ili = net["operators"][f"ili-{centre}"]
        r = ili.s.post(f"{ili.base}/api/v1/attendance/csv", timeout=120,
                       data=("\ufeff" + "\r\n".join(lines) + "\r\n").encode(),
                       headers={"Content-Type": "text/csv"})
        if r.status_code != 200:
            raise RuntimeError(f"attendance upload: {r.status_code} {r.text[:300]}")
        if k % 5 == 1:       # the French evening course fills up: a waiting list
            refer(net, centre, f"fle-a1-{centre}", f"eps-{centre}", pid, False, "")
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
    out["publication"] = publish_once_counted(
        urls, issuer, sum(out[c]["registered"] for c in centres))
    return out


def publish_once_counted(urls: dict, issuer, registered: int) -> str | None:
    """The public dashboard shows publications only: once reporting counts the demo's
    people, last month's publication is corrected to include them (a new revision), as
    an operator would with `cri reporting publish --correct`."""
    from shared import clock
    from services.reporting.bootstrap import on_store
    from services.reporting.domain.periods import Period
    analyst = Api(urls["reporting"], issuer.token(["analyste"], "region"))

    def counted():
        body = analyst.call("GET", "/api/v1/statistics/personnes-par-statut").json()
        return body if (body["rows"][-1]["cells"][-1]["value"] or 0) >= registered else None
    if _wait(counted, timeout=180) is None:
        return None
    with on_store(urls["mongodb_uri"]) as reporting:
        done, _ = reporting.publications.publish(Period.before(clock.today()), correct=True)
    return done["id"]
