"""Reporting's projections: intake, pathway and partners events folded per centre and
stream, idempotent, transfers counted once where the person is now."""
from __future__ import annotations

import uuid
from datetime import date

from services.reporting.consumers.projector import Projector
from services.reporting.domain.people import current_people, transfers
from services.reporting.domain.publication import Snapshot, publish
from tests.unit.reporting.events import FakeDb, env, header, registered


def project(envelopes, db=None):
    db = db if db is not None else FakeDb()
    Projector(db, clock=lambda: "2025-06-01T10:00:00+00:00")(envelopes)
    return db


def docs(db, name):
    return list(db[name].find({}))


def test_registration_gives_a_person_without_any_name():
    db = project(registered("cripel", status="voluntary", sex="M"))
    [person] = docs(db, "people")
    assert person["_id"].startswith("cripel:person-")
    assert (person["status"], person["sex"], person["centre"]) == ("voluntary", "M", "cripel")
    assert {"last_name", "first_names", "birth_date", "national_number"}.isdisjoint(person)
    assert db["projector_status"].find_one({"_id": "projector"})["updated_at"]


def test_override_wins_and_redelivery_counts_once():
    events = registered("cai", person_id=(pid := str(uuid.uuid4())), pseudonym="a" * 32)
    h = header("cai", pid, "a" * 32)
    events.append(env("cai", "intake", "intake.EligibilityOverridden", f"person-{pid}",
                      {**h, "status": "dispensed", "computed_status": "obligated",
                       "rule_version": "2025-v1", "deadline": None, "overridden_by": "x",
                       "overridden_on": "2025-04-01"}))
    db = project(events)
    project(events, db)                      # the whole batch delivered again
    [person] = docs(db, "people")
    assert person["status"] == "dispensed"
    assert len(current_people(docs(db, "people"))) == 1


def _transfer(pid: str, pseudonym: str) -> list:
    h = header("cripel", pid, pseudonym)
    out = env("cripel", "intake", "intake.PersonTransferredOut", f"person-{pid}",
              {k: h[k] for k in ("person_id", "pseudonym", "pseudonym_strength", "centre")} |
              {"transfer_id": "t-1", "to_centre": "cai", "transferred_on": "2025-05-02",
               "personal": None})
    arrived = env("cai", "intake", "intake.PersonTransferredIn", f"person-{pid}",
                  {**header("cai", pid, pseudonym, commune_nis="92094"), "transfer_id": "t-1",
                   "from_centre": "cripel", "received_on": "2025-05-03",
                   "registered_on": "2025-03-10", "final_status": "obligated"})
    return [out, arrived]


def test_transfer_counts_the_person_once_where_they_are_now():
    pid, pseudonym = str(uuid.uuid4()), "b" * 32
    db = project(registered("cripel", person_id=pid, pseudonym=pseudonym))
    project(_transfer(pid, pseudonym), db)
    people = docs(db, "people")
    assert len(people) == 2                  # same stream id, two centres: two documents
    [now] = current_people(people)
    assert (now["centre"], now["commune_nis"], now["first_registered_on"]) == \
        ("cai", "92094", "2025-03-10")
    assert transfers(people) == [{"id": "t-1", "from": "cripel", "to": "cai",
                                  "on": "2025-05-02"}]


def test_same_pseudonym_in_two_centres_counts_once_at_the_latest():
    db = project(registered("cripel", pseudonym="c" * 32, on="2024-11-02") +
                 registered("cai", pseudonym="c" * 32, on="2025-02-01"))
    [now] = current_people(docs(db, "people"))
    assert (now["centre"], now["first_registered_on"]) == ("cai", "2024-11-02")


def test_erasure_keeps_the_count_and_drops_the_pseudonym():
    pid = str(uuid.uuid4())
    db = project(registered("cripel", person_id=pid, pseudonym="d" * 32))
    project([env("cripel", "intake", "intake.PersonErased", f"person-{pid}",
                 {"person_id": pid, "pseudonym": "d" * 32, "pseudonym_strength": "strong",
                  "centre": "cripel", "erased_by": "dpo", "reason": "request",
                  "erased_on": "2025-07-01", "personal": None})], db)
    [person] = docs(db, "people")
    assert person["pseudonym"] is None and person["erased"] is True
    assert len(current_people([person])) == 1


def _erased(centre, pid, pseudo):
    return env(centre, "intake", "intake.PersonErased", f"person-{pid}",
               {"person_id": pid, "pseudonym": pseudo, "pseudonym_strength": "strong",
                "centre": centre, "reason": "gdpr_request", "erased_on": "2025-07-01",
                "personal": None})


def test_erasure_leaves_neither_id_nor_pseudonym_in_any_projection_for_good():
    pid, pseudo, other = str(uuid.uuid4()), "e" * 32, str(uuid.uuid4())
    attendance = env("cripel", "partners", "partners.AttendanceRecorded", "attendance-a9",
                     {"attendance_id": "a9", "person_id": pid, "training": "citizenship",
                      "hours": 4.0, "session_date": "2025-03-02", "operator_id": None})
    before = [*registered("cripel", person_id=pid, pseudonym=pseudo),
              *_pathway("cripel", pid, pseudo), attendance,
              *registered("cripel", person_id=other)]
    db = project(before)
    project([_erased("cripel", pid, pseudo)], db)
    project(before, db)                       # everything before delivered again

    def text():
        return str({name: docs(db, name) for name in db.list_collection_names()})
    assert pid not in text() and pseudo not in text()
    assert other in text()                    # nobody else is touched
    assert len(docs(db, "people")) == 2 and len(docs(db, "pathways")) == 1
    [hours] = docs(db, "attendance")
    assert hours["hours"] == 4.0 and hours["person_id"].startswith("cripel:erased-")


def _pathway(centre, pid, pseudo, opened="2024-01-15"):
    s = f"pathway-{pid}"
    return [env(centre, "pathway", "pathway.PathwayOpened", s,
                {"person_id": pid, "pseudonym": pseudo, "centre": centre, "status": "obligated",
                 "permit_order_date": None, "rule_version": "2016-v1", "opened_on": opened,
                 "on_request": False, "justification": None}),
            env(centre, "pathway", "pathway.ConventionSigned", s,
                {"signed_on": "2025-02-01", "requirements": [
                    {"training": "citizenship", "hours_required": 60}]}),
            env(centre, "pathway", "pathway.HoursCredited", s,
                {"attendance_id": "a1", "training": "citizenship", "hours": 20.0,
                 "session_date": "2025-03-01"}),
            env(centre, "pathway", "pathway.InterviewRecorded", s,
                {"interview_id": "i1", "held_on": "2025-04-01", "person_attended": True,
                 "training_attendance": "regular", "absence_reasons": [],
                 "programme_changes": [], "extension_needed": False})]


def test_pathway_facts_stay_where_they_happened_after_a_transfer():
    pid, pseudo = str(uuid.uuid4()), "e" * 32
    s = f"pathway-{pid}"
    sender = _pathway("cripel", pid, pseudo) + [
        env("cripel", "pathway", "pathway.TransferCompleted", s,
            {"transfer_id": "t-9", "to_centre": "cai", "completed_on": "2025-05-01"})]
    # v2 as published: the history stays at the centre (sealed), its public facts travel
    receiver = [env("cai", "pathway", "pathway.PathwayReceived", s,
                    {"transfer_id": "t-9", "from_centre": "cripel", "centre": "cai",
                     "received_on": "2025-05-02", "pseudonym": pseudo, "status": "obligated",
                     "opened_on": "2024-01-15"}),
                env("cai", "pathway", "pathway.HoursCredited", s,
                    {"attendance_id": "a2", "training": "citizenship", "hours": 40.0,
                     "session_date": "2025-06-01"}),
                env("cai", "pathway", "pathway.AttestationIssued", s,
                    {"number": "CAI-2025-000001", "issued_on": "2025-07-15", "centre": "cai",
                     "holder_initials": "A.B."})]
    db = project(sender + receiver)
    pathways = docs(db, "pathways")
    assert {d["_id"] for d in pathways} == {f"cripel:{s}", f"cai:{s}"}
    snap = Snapshot(pathways=pathways)
    tables = publish(snap, 2025, k=1, today=date(2025, 12, 31))
    hours = tables["heures-de-formation"].table
    cols = [c for c, _ in hours.columns]
    assert hours.values[0][cols.index("cripel")] == 20.0
    assert hours.values[0][cols.index("cai")] == 40.0
    assert hours.values[0][-1] == 60.0 and hours.people[0][-1] == 1   # one person, total
    activity = tables["activite-des-parcours"].table
    rows = [r for r, _ in activity.rows]
    assert activity.values[rows.index("conventions")][cols.index("cripel")] == 1
    assert activity.values[rows.index("attestations")][cols.index("cai")] == 1
    days = tables["delai-d-achevement"].table.values[0][cols.index("cai")]
    assert days == (date(2025, 7, 15) - date(2024, 1, 15)).days   # from the first opening
    transfers_table = tables["transferts"].table
    assert transfers_table.values[cols.index("cripel")][cols.index("cai")] == 1


def test_partner_attendance_is_projected_per_report():
    e = env("cai", "partners", "partners.AttendanceRecorded", "attendance-x",
            {"attendance_id": "x", "person_id": "p1", "centre": "cai", "training": "french",
             "hours": 3.5, "session_date": "2025-02-02", "operator_id": None,
             "recorded_on": "2025-02-03"})
    db = project([e])
    project([e], db)
    [report] = docs(db, "attendance")
    assert report["hours"] == 3.5 and report["_id"] == "cai:attendance-x"
