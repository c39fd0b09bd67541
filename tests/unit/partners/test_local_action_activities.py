"""Integration activities and practitioner trainings on the in-memory store: who may
manage which (a partner only its own operator's), participation as counts, the link of
a followed person kept out of the bus and the read model, a training's registrations
sealed, attendance, evaluation and the certificate PDF."""
from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest

from shared.errors import DomainRuleViolation, Forbidden, NotFound, ValidationFailed
from shared.events.envelope import Envelope, public_data, sequence

from services.partners.service_layer import activities, trainings

from .local_action_fixtures import COORD, FLE, OTHER, make_svc

PERSON = "4a9f0a3e-6f1e-4a43-9a52-1c0a8d6c2b11"


def activity(**kw) -> dict:
    return {"activity_id": "act-1", "operator_id": "fle-liege",
            "title": "Rencontre interculturelle", "kind": "meeting",
            "theme": "interculturality", "public": "all", "commune_nis": "62063",
            "partners": ["cpas-herstal"], "starts_on": date(2026, 11, 20),
            "ends_on": date(2026, 11, 20), "place": "Maison de quartier", "listed": True,
            "plan_id": None, "action_id": None,
            "descriptions": [{"lang": "fr", "text": "Un repas partagé"},
                             {"lang": "ar", "text": "وجبة مشتركة"}], **kw}


@pytest.fixture
def svc():
    return make_svc()


def test_a_partner_manages_only_its_own_operators_activities(svc):
    activities.plan(svc, FLE, activity())
    with pytest.raises(Forbidden):
        activities.plan(svc, OTHER, activity(activity_id="act-2"))     # for another operator
    with pytest.raises(Forbidden):
        activities.plan(svc, FLE, activity(activity_id="act-3", operator_id=None))
    for call in (lambda: activities.participation(svc, OTHER, "act-1", {"residents": 9}),
                 lambda: activities.cancel(svc, OTHER, "act-1"),
                 lambda: activities.activity(svc, OTHER, "act-1"),
                 lambda: activities.update(svc, OTHER, "act-1", activity(title="x"), 1)):
        with pytest.raises(Forbidden):
            call()
    held = activities.participation(svc, FLE, "act-1", {"newcomers": 12, "residents": 7})
    assert held.state["status"] == "held" and held.state["counts"] == {"newcomers": 12,
                                                                       "residents": 7}
    with pytest.raises(DomainRuleViolation, match="réalisée"):
        activities.cancel(svc, FLE, "act-1")
    # the coordination manages any activity of the centre
    assert activities.update(svc, COORD, "act-1", activity(title="Repas du monde"),
                             held.version).state["title"] == "Repas du monde"


def test_participation_rules(svc):
    activities.plan(svc, COORD, activity(starts_on=date(2026, 12, 10),
                                         ends_on=date(2026, 12, 10)))
    with pytest.raises(DomainRuleViolation, match="commencée"):
        activities.participation(svc, COORD, "act-1", {"newcomers": 3})
    with pytest.raises(ValidationFailed):
        activities.plan(svc, COORD, activity(activity_id="act-9",
                                             ends_on=date(2026, 11, 1)))
    with pytest.raises(ValidationFailed, match="opérateur inconnu"):
        activities.plan(svc, COORD, activity(activity_id="act-8", partners=["fantome"]))
    activities.cancel(svc, COORD, "act-1")
    with pytest.raises(DomainRuleViolation, match="annulée"):
        activities.participation(svc, COORD, "act-1", {"newcomers": 3})


def follow(svc, person_id: str) -> None:
    svc.people.apply([Envelope(f"pathway-{person_id}:1", "/cri/cripel/pathway",
                               "pathway.PathwayOpened", 1, "2026-11-29T10:00:00Z",
                               f"pathway-{person_id}", sequence(1, 0), {})])


def test_a_followed_person_is_linked_inside_the_centre_only(svc):
    activities.plan(svc, FLE, activity())
    with pytest.raises(Forbidden):
        activities.link_person(svc, FLE, "act-1", PERSON)       # the centre only
    with pytest.raises(NotFound):
        activities.link_person(svc, COORD, "act-1", PERSON)     # not followed here
    follow(svc, PERSON)
    linked = activities.link_person(svc, COORD, "act-1", PERSON)
    event = linked.last_commit.events[-1]
    assert event.data["personal"] == {"person_id": PERSON}
    assert PERSON not in str(public_data(event.data))        # what the bus carries
    assert PERSON not in str(svc.read_model.get("activities", "act-1"))
    assert svc.read_model.get("activities", "act-1")["linked"] == 1



def test_erasure_takes_the_person_out_of_every_activity_and_keeps_the_counts(svc):
    from services.partners.service_layer import erasure
    other = "7b0e1f2a-9c3d-4e5f-8a6b-2d1c0b9a8e77"
    activities.plan(svc, FLE, activity())
    activities.plan(svc, COORD, activity(activity_id="act-2", operator_id=None))
    activities.participation(svc, FLE, "act-1", {"newcomers": 12})
    follow(svc, PERSON)
    follow(svc, other)
    for act in ("act-1", "act-2"):
        activities.link_person(svc, COORD, act, PERSON)
    activities.link_person(svc, COORD, "act-1", other)
    assert svc.read_model.activities_of(PERSON) == ["act-1", "act-2"]

    erasure.forget(svc, PERSON)
    assert svc.read_model.activities_of(PERSON) == []
    assert PERSON not in str(list(svc.read_model.c["activity_links"].find({})))
    one = activities.activity(svc, COORD, "act-1")
    assert one.state["linked"] == [other] and one.state["counts"] == {"newcomers": 12}
    assert activities.activity(svc, COORD, "act-2").state["linked"] == []
    assert svc.read_model.get("activities", "act-1")["linked"] == 1
    assert svc.read_model.activities_of(other) == ["act-1"]     # someone else stays
    version = one.version
    erasure.forget(svc, PERSON)                                 # redelivered: nothing more
    assert activities.activity(svc, COORD, "act-1").version == version
    with pytest.raises(NotFound):                # no longer followed: not linked again
        activities.link_person(svc, COORD, "act-1", PERSON)


def test_links_recorded_before_the_index_are_backfilled_once(svc):
    activities.plan(svc, FLE, activity())
    activities.plan(svc, FLE, activity(activity_id="act-2"))
    follow(svc, PERSON)
    activities.link_person(svc, COORD, "act-1", PERSON)
    links = svc.read_model.c["activity_links"]
    links.delete_many({})                                       # a store of the former version
    assert svc.read_model.activities_of(PERSON) == []
    assert svc.read_model.backfill_links(svc.activities.load) == 1
    assert svc.read_model.activities_of(PERSON) == ["act-1"]
    links.delete_many({"person_id": PERSON})
    assert svc.read_model.backfill_links(svc.activities.load) == 0   # done once


TRAINING = {"training_id": "f-interculturel", "title": "Communication interculturelle",
            "theme": "interculturality", "audiences": ["operator", "cpas"],
            "commune_nis": "62063", "capacity": 2,
            "sessions": [{"date": date(2026, 11, 16), "hours": 3.5},
                         {"date": date(2026, 11, 23), "hours": 3.0}]}
NADIA = {"name": "Nadia Ben Salah", "organisation": "ASBL FLE Liège",
         "role": "formatrice FLE", "audience": "operator", "operator_id": "fle-liege",
         "registration_id": "r-nadia"}


def test_training_registrations_are_sealed_and_scoped(svc):
    with pytest.raises(Forbidden):
        trainings.schedule(svc, FLE, TRAINING)
    trainings.schedule(svc, COORD, TRAINING)
    loaded, rid = trainings.register(svc, FLE, "f-interculturel", NADIA)
    event = loaded.last_commit.events[-1]
    assert "Nadia" not in str(event.data["personal"])           # sealed in the store
    assert "Nadia" not in str(public_data(event.data))
    assert "Nadia" not in str(svc.read_model.get("registrations", rid))
    assert trainings.registration(svc, FLE, "f-interculturel", rid)["name"] == \
        "Nadia Ben Salah"
    with pytest.raises(Forbidden):                 # another operator's registration
        trainings.registration(svc, OTHER, "f-interculturel", rid)
    with pytest.raises(Forbidden):                 # registering another operator's staff
        trainings.register(svc, OTHER, "f-interculturel", {**NADIA, "registration_id": "r2"})
    with pytest.raises(DomainRuleViolation, match="public"):
        trainings.register(svc, COORD, "f-interculturel",
                           {**NADIA, "audience": "commune", "registration_id": "r3"})
    trainings.register(svc, COORD, "f-interculturel", {**NADIA, "registration_id": "r4",
                                                       "name": "Jean Lambert"})
    with pytest.raises(DomainRuleViolation, match="complète"):
        trainings.register(svc, COORD, "f-interculturel", {**NADIA, "registration_id": "r5"})
    # erasing the practitioner's key: the name is gone, the registration counts remain
    svc.practitioners.forget("r4")
    assert trainings.registration(svc, COORD, "f-interculturel", "r4")["name"] is None


def test_attendance_evaluation_and_certificate(svc, tmp_path):
    trainings.schedule(svc, COORD, TRAINING)
    _, rid = trainings.register(svc, FLE, "f-interculturel", NADIA)
    with pytest.raises(DomainRuleViolation, match="pas d'attestation"):
        trainings.certificate_pdf(svc, COORD, "f-interculturel", rid)
    with pytest.raises(Forbidden):
        trainings.attend(svc, FLE, "f-interculturel", rid, date(2026, 11, 16), True)
    with pytest.raises(ValidationFailed, match="séance"):
        trainings.attend(svc, COORD, "f-interculturel", rid, date(2026, 11, 17), True)
    trainings.attend(svc, COORD, "f-interculturel", rid, date(2026, 11, 16), True)
    trainings.attend(svc, COORD, "f-interculturel", rid, date(2026, 11, 23), True)
    trainings.evaluate(svc, COORD, "f-interculturel", rid, 5, 4)
    reg = trainings.registration(svc, FLE, "f-interculturel", rid)
    assert reg["hours"] == 6.5 and reg["evaluation"] == {"satisfaction": 5, "usefulness": 4}
    with pytest.raises(DomainRuleViolation, match="présences"):
        trainings.unregister(svc, FLE, "f-interculturel", rid)
    pdf = trainings.certificate_pdf(svc, FLE, "f-interculturel", rid)
    assert pdf.startswith(b"%PDF")
    with pytest.raises(Forbidden):
        trainings.certificate_pdf(svc, OTHER, "f-interculturel", rid)
    if shutil.which("pdftotext"):
        (tmp_path / "c.pdf").write_bytes(pdf)
        text = subprocess.run(["pdftotext", str(tmp_path / "c.pdf"), "-"], check=True,
                              capture_output=True, text=True).stdout
        assert "Nadia Ben Salah" in text and "6,5 heures" in text
