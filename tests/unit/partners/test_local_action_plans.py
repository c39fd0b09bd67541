"""Integration plans (PLI) on the in-memory store: lifecycle draft → adopted → evaluated
with who and when, an adopted plan changes only through a new version (409), and a
partner edits only the actions its own operator leads (403)."""
from __future__ import annotations

from datetime import date

import pytest

from shared.errors import DomainRuleViolation, Forbidden, NotFound, ValidationFailed

from services.partners.service_layer import plans

from .local_action_fixtures import COORD, FLE, OTHER, TODAY, make_svc

CONTENT = {"plan_id": "pli-liege", "title": "PLI de Liège 2026-2028",
           "communes": ["62063", "62096"], "period_from": date(2026, 1, 1),
           "period_to": date(2028, 12, 31),
           "diagnosis": [{"theme": "language", "findings": "Listes d'attente en FLE",
                          "priority": "high"}],
           "objectives": [{"objective_id": "o1", "theme": "language",
                           "text": "Plus de places de FLE"}]}


def action(lead: str | None = "fle-liege", **kw) -> dict:
    return {"action_id": "a1", "objective_id": "o1", "title": "Ouvrir deux groupes FLE",
            "lead_operator_id": lead, "operators": [lead] if lead else [],
            "communes": ["62063"], "budget": 12000.0, "period_from": date(2026, 1, 1),
            "period_to": date(2026, 12, 31), "status": "planned", **kw}


INDICATOR = {"indicator_id": "i1", "objective_id": "o1", "label": "Places de FLE",
             "unit": "count", "baseline": 40.0, "target": 80.0,
             "target_on": date(2028, 12, 31)}


@pytest.fixture
def svc():
    s = make_svc()
    plans.draft(s, COORD, CONTENT)
    return s


def test_lifecycle_records_who_and_when(svc):
    plans.set_action(svc, COORD, "pli-liege", action())
    plans.set_indicator(svc, COORD, "pli-liege", INDICATOR)
    adopted = plans.adopt(svc, COORD, "pli-liege", "conseil communal du 12/03/2026", None)
    assert adopted.state["status"] == "adopted"
    plans.measure(svc, COORD, "pli-liege", "i1", 55.0, date(2026, 6, 30))
    plans.measure(svc, COORD, "pli-liege", "i1", 61.0, date(2026, 11, 1))
    evaluated = plans.evaluate(svc, COORD, "pli-liege", "Objectif à moitié atteint", None)
    p = evaluated.state
    assert p["status"] == "evaluated"
    assert [(a["step"], a["by"], a["on"]) for a in p["approvals"]] == [
        ("drafted", "coordination-1", TODAY.isoformat()),
        ("adopted", "coordination-1", TODAY.isoformat()),
        ("evaluated", "coordination-1", TODAY.isoformat())]
    assert p["approvals"][1]["note"] == "conseil communal du 12/03/2026"
    assert [m["value"] for m in p["indicators"]["i1"]["measurements"]] == [55.0, 61.0]
    doc = svc.read_model.get("plans", "pli-liege")      # the read model follows
    assert doc["status"] == "evaluated" and doc["version"] == evaluated.version


def test_an_adopted_plan_changes_only_through_a_new_version(svc):
    plans.set_action(svc, COORD, "pli-liege", action())
    plans.set_indicator(svc, COORD, "pli-liege", INDICATOR)
    plans.adopt(svc, COORD, "pli-liege", "conseil communal", None)
    with pytest.raises(DomainRuleViolation, match="nouvelle version") as err:
        plans.set_action(svc, COORD, "pli-liege", action(budget=99999.0))
    assert err.value.status == 409
    for change in (lambda: plans.set_indicator(svc, COORD, "pli-liege",
                                               {**INDICATOR, "target": 100.0}),
                   lambda: plans.revise(svc, COORD, "pli-liege",
                                        {**CONTENT, "title": "Autre titre"}, None)):
        with pytest.raises(DomainRuleViolation, match="adopté"):
            change()
    assert svc.plans.load("pli-liege").state["actions"]["a1"]["budget"] == 12000.0
    # Living with the plan is not changing it: progress is recorded while adopted.
    plans.progress_action(svc, FLE, "pli-liege", "a1", "in_progress")
    # A new version is a draft again, and keeps what the plan said.
    v2 = plans.new_version(svc, COORD, "pli-liege", "budget revu", None).state
    assert (v2["status"], v2["plan_version"]) == ("draft", 2)
    after = plans.set_action(svc, COORD, "pli-liege", action(budget=15000.0)).state
    assert after["actions"]["a1"]["budget"] == 15000.0
    assert plans.adopt(svc, COORD, "pli-liege", "avenant", None).state["approvals"][-1][
        "plan_version"] == 2


def test_a_partner_edits_only_its_own_operators_actions(svc):
    plans.set_action(svc, COORD, "pli-liege", action("fle-liege"))
    plans.set_action(svc, COORD, "pli-liege", action("cpas-herstal", action_id="a2",
                                                     title="Permanence logement"))
    # its own action: yes
    mine = plans.set_action(svc, FLE, "pli-liege", action("fle-liege", budget=13000.0))
    assert mine.state["actions"]["a1"]["budget"] == 13000.0
    # another operator's action, or handing its own to another operator: 403
    with pytest.raises(Forbidden):
        plans.set_action(svc, OTHER, "pli-liege", action("fle-liege", budget=1.0))
    with pytest.raises(Forbidden):
        plans.set_action(svc, FLE, "pli-liege", action("cpas-herstal", action_id="a2"))
    with pytest.raises(Forbidden):
        plans.set_action(svc, FLE, "pli-liege", action("cpas-herstal"))
    with pytest.raises(Forbidden):
        plans.progress_action(svc, FLE, "pli-liege", "a2", "done")
    # the plan itself is the coordination's
    for call in (lambda: plans.set_indicator(svc, FLE, "pli-liege", INDICATOR),
                 lambda: plans.adopt(svc, FLE, "pli-liege", "x", None),
                 lambda: plans.draft(svc, FLE, {**CONTENT, "plan_id": "pli-2"})):
        with pytest.raises(Forbidden):
            call()
    assert svc.plans.load("pli-liege").state["actions"]["a2"]["lead_operator_id"] == \
        "cpas-herstal"


def test_rules_of_a_draft(svc):
    with pytest.raises(DomainRuleViolation, match="au moins une action"):
        plans.adopt(svc, COORD, "pli-liege", "conseil", None)
    plans.set_indicator(svc, COORD, "pli-liege", INDICATOR)
    with pytest.raises(DomainRuleViolation, match="plan adopté"):
        plans.measure(svc, COORD, "pli-liege", "i1", 3.0, TODAY)
    with pytest.raises(ValidationFailed, match="communes du plan"):
        plans.set_action(svc, COORD, "pli-liege", action(communes=["52011"]))
    with pytest.raises(ValidationFailed, match="objectif"):
        plans.set_action(svc, COORD, "pli-liege", action(objective_id="o9"))
    with pytest.raises(ValidationFailed, match="opérateur inconnu"):
        plans.set_action(svc, COORD, "pli-liege", action("op-fantome"))
    with pytest.raises(NotFound):
        plans.plan(svc, COORD, "pli-inconnu")
    version = svc.plans.load("pli-liege").version
    assert plans.draft(svc, COORD, CONTENT).version == version    # the same again: nothing
    with pytest.raises(DomainRuleViolation, match="existe déjà"):
        plans.draft(svc, COORD, {**CONTENT, "title": "Autre"})
