"""French first: marshmallow's default (English) messages and the language choice."""
from __future__ import annotations

import re

from flask import request

FR = {
    "Missing data for required field.": "Champ obligatoire manquant.",
    "Field may not be null.": "Ce champ ne peut pas être vide.",
    "Not a valid string.": "Texte attendu.",
    "Not a valid utf-8 string.": "Texte UTF-8 invalide.",
    "Not a valid integer.": "Nombre entier attendu.",
    "Not a valid number.": "Nombre attendu.",
    "Number too large.": "Nombre trop grand.",
    "Special numeric values (nan or infinity) are not permitted.":
        "Valeurs spéciales (NaN, infini) non autorisées : nombre attendu.",
    "Not a valid boolean.": "Valeur vrai/faux attendue.",
    "Not a valid date.": "Date invalide (format AAAA-MM-JJ).",
    "Not a valid datetime.": "Date et heure invalides (format ISO 8601).",
    "Not a valid time.": "Heure invalide (format HH:MM).",
    "Not a valid period of time.": "Durée invalide.",
    "Not a valid email address.": "Adresse e-mail invalide.",
    "Not a valid URL.": "Adresse web (URL) invalide.",
    "Not a valid UUID.": "Identifiant (UUID) invalide.",
    "Not a valid list.": "Liste attendue.",
    "Not a valid tuple.": "Liste attendue.",
    "Not a valid mapping type.": "Objet attendu.",
    "Invalid type.": "Type de donnée invalide.",
    "Unknown field.": "Champ inconnu.",
    "Invalid input type.": "Type de donnée invalide.",
    "Invalid value.": "Valeur invalide.",
    "Invalid input.": "Valeur invalide.",
    "String does not match expected pattern.": "Format invalide.",
    "Invalid JSON body.": "Le corps de la requête n'est pas du JSON valide.",
    "A justification is required to confirm a homonym (how the agent knows this is "
    "another person).": "Une justification est requise pour confirmer un homonyme "
                        "(comment l'agent sait qu'il s'agit d'une autre personne).",
    # shared.web.schema's own (English first, like marshmallow's)
    "Forbidden character (control character, NUL or bidirectional override).":
        "Caractère interdit (caractère de contrôle, octet nul ou contrôle de direction "
        "du texte).",
    "Not a valid person id (a UUID is expected).":
        "Identifiant de personne invalide (un UUID est attendu).",
    "Not a valid identifier (letters, digits and . _ : - only, 100 characters at most).":
        "Identifiant invalide (lettres, chiffres et . _ : - seulement, 100 caractères "
        "au plus).",
}

_OPS = {"greater than or equal to": "supérieur ou égal à", "greater than": "supérieur à",
        "less than or equal to": "inférieur ou égal à", "less than": "inférieur à"}
_OP = "|".join(sorted(_OPS, key=len, reverse=True))
# marshmallow's templated messages (validate.py), most specific first
_PATTERNS = [
    (re.compile(rf"^Must be ({_OP}) (.+) and ({_OP}) (.+)\.$"),
     lambda m: f"Doit être {_OPS[m[1]]} {m[2]} et {_OPS[m[3]]} {m[4]}."),
    (re.compile(rf"^Must be ({_OP}) (.+)\.$"), lambda m: f"Doit être {_OPS[m[1]]} {m[2]}."),
    (re.compile(r"^Must be one of: (.*)\.$", re.S),
     lambda m: f"Doit être l'une des valeurs : {m[1]}."),
    (re.compile(r"^Must be equal to (.*)\.$"), lambda m: f"Doit être égal à {m[1]}."),
    (re.compile(r"^Longer than maximum length (\d+)\.$"),
     lambda m: f"Trop long : {m[1]} au plus (caractères ou éléments)."),
    (re.compile(r"^Shorter than minimum length (\d+)\.$"),
     lambda m: f"Trop court : {m[1]} au moins (caractères ou éléments)."),
    (re.compile(r"^Length must be between (\d+) and (\d+)\.$"),
     lambda m: f"La longueur doit être comprise entre {m[1]} et {m[2]}."),
    (re.compile(r"^Length must be (\d+)\.$"), lambda m: f"La longueur doit être {m[1]}."),
    (re.compile(r"^One or more of the choices you made was not in: (.*)\.$", re.S),
     lambda m: f"Un ou plusieurs choix ne figurent pas parmi : {m[1]}."),
    (re.compile(r"^One or more of the choices you made was in: (.*)\.$", re.S),
     lambda m: f"Un ou plusieurs choix figurent parmi les valeurs exclues : {m[1]}."),
    (re.compile(r"^Date out of range: from (\S+) to (\S+?)( \(not in the future\))?\.$"),
     lambda m: f"Date hors limites : du {m[1]} au {m[2]}"
               f"{' (pas dans le futur)' if m[3] else ''}."),
]


def wants_english() -> bool:
    try:
        best = request.accept_languages.best_match(["fr", "en"])
    except RuntimeError:
        return False
    return best == "en"


def translate(message: str) -> str:
    """French for a marshmallow/webargs message (exact or templated); a message with
    no translation is returned as is (our own messages are already French)."""
    if message in FR:
        return FR[message]
    for pattern, french in _PATTERNS:
        match = pattern.match(message)
        if match:
            return french(match)
    return message


def translate_tree(messages, english: bool):
    """webargs/marshmallow error trees -> {"field.sub": [msg, ...]} in the user's language."""
    flat: dict[str, list[str]] = {}

    def walk(node, path: str) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, f"{path}.{k}" if path else str(k))
        elif isinstance(node, list) and node and not all(isinstance(x, str) for x in node):
            for i, v in enumerate(node):
                walk(v, f"{path}.{i}")
        else:
            msgs = node if isinstance(node, list) else [node]
            flat.setdefault(path or "_schema", []).extend(
                m if english else translate(m) for m in msgs)

    walk(messages, "")
    return flat
