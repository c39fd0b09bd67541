"""What the local-action screens share (plans, activities, trainings): the French labels
of local action's codes, the form values turned into the API's body (dates typed
dd/mm/yyyy, numbers with a comma, communes as a list of INS codes), the API's field
messages mapped back to the form's names, and the version sent as If-Match.
No blueprint here: nothing is registered from this module."""
from __future__ import annotations

import re

from flask import request

from services.partners.domain import local_vocab as lv
from services.portal.adapters.services import ApiProblem
from services.portal.formats import date_fr, parse_date_fr

FORM_ERRORS = (400, 409, 412, 422)
LABELS = {"plan_themes": lv.PLAN_THEMES, "plan_status": lv.PLAN_STATUS,
          "action_status": lv.ACTION_STATUS, "indicator_units": lv.INDICATOR_UNITS,
          "priorities": lv.PRIORITIES, "activity_themes": lv.ACTIVITY_THEMES,
          "activity_kinds": lv.ACTIVITY_KINDS, "publics": lv.PUBLICS,
          "participant_categories": lv.PARTICIPANT_CATEGORIES,
          "activity_status": lv.ACTIVITY_STATUS, "training_themes": lv.TRAINING_THEMES,
          "audiences": lv.AUDIENCES, "registration_status": lv.REGISTRATION_STATUS,
          "languages": lv.LANGUAGES}
APPROVAL_STEPS = {"drafted": "mis en projet", "adopted": "adopté", "evaluated": "évalué"}
STALE = ("Quelqu'un d'autre a modifié cette fiche entre-temps : la page montre la version "
         "actuelle, vérifiez puis envoyez de nouveau.")


def choices(name: str) -> list[tuple[str, str]]:
    return list(LABELS[name].items())


def labels() -> dict[str, dict[str, str]]:
    """Every label table, for the templates: `labels.plan_status[code]`."""
    return {**LABELS, "approval_steps": APPROVAL_STEPS}


def form_values() -> dict:
    """The form as typed (lists kept for repeated names), without its CSRF token."""
    out = {}
    for key in request.form:
        if key == "csrf_token":
            continue
        items = request.form.getlist(key)
        out[key] = items if len(items) > 1 else items[0]
    return out


def text(values: dict, name: str) -> str | None:
    value = values.get(name)
    value = (value if isinstance(value, str) else "").strip()
    return value or None


def date(values: dict, name: str) -> str | None:
    """dd/mm/yyyy (or yyyy-mm-dd) → ISO; the text as typed otherwise (the API names it)."""
    return parse_date_fr(text(values, name) or "")


def number(values: dict, name: str):
    """'15 000,50' → 15000.5; None when empty; the text as typed when no number."""
    raw = text(values, name)
    if raw is None:
        return None
    cleaned = re.sub(r"[\s\u202f\u00a0]", "", raw).replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        return raw
    return value if value == value and abs(value) != float("inf") else raw


def integer(values: dict, name: str):
    raw = text(values, name)
    if raw is None:
        return None
    return int(raw) if raw.isdigit() and len(raw) < 10 else raw


def communes(values: dict, name: str = "communes") -> list[str]:
    """'62022, 62063' (commas, spaces or new lines) → ['62022', '62063']."""
    return [c for c in re.split(r"[\s,;]+", text(values, name) or "") if c]


def checked(values: dict, name: str) -> list[str]:
    value = values.get(name) or []
    return [value] if isinstance(value, str) else list(value)


def rename(problem: ApiProblem, names: dict[str, str]) -> ApiProblem:
    """The API's field paths (e.g. 'diagnosis.2.findings') → the form's names."""
    renamed = {}
    for path, message in problem.errors.items():
        target = path
        for api_prefix, form_prefix in sorted(names.items(), key=lambda n: -len(n[0])):
            if path == api_prefix or path.startswith(api_prefix + "."):
                target = form_prefix + path[len(api_prefix):]
                break
        renamed[target] = message
    problem.errors = renamed
    return problem


def stale(problem: ApiProblem) -> ApiProblem:
    """A 412 (If-Match no longer the stream's version): said plainly in French."""
    if problem.status == 412:
        problem.detail = STALE
    return problem


def shown_date(value) -> str:
    return date_fr(value) if value else ""


def amount(value) -> str:
    """15000.0 → '15 000'; 12.5 → '12,5' (a French number, thin spaces)."""
    if value is None or value == "":
        return ""
    number_ = float(value)
    whole = f"{number_:,.0f}" if number_ == int(number_) else f"{number_:,.2f}"
    return whole.replace(",", "\u202f").replace(".", ",")
