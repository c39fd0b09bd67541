"""French first: marshmallow's default (English) messages and the language choice."""
from __future__ import annotations

from flask import request

FR = {
    "Missing data for required field.": "Champ obligatoire manquant.",
    "Field may not be null.": "Ce champ ne peut pas être vide.",
    "Not a valid string.": "Texte attendu.",
    "Not a valid integer.": "Nombre entier attendu.",
    "Not a valid number.": "Nombre attendu.",
    "Not a valid boolean.": "Valeur vrai/faux attendue.",
    "Not a valid date.": "Date invalide (format AAAA-MM-JJ).",
    "Not a valid datetime.": "Date et heure invalides (format ISO 8601).",
    "Not a valid email address.": "Adresse e-mail invalide.",
    "Not a valid UUID.": "Identifiant (UUID) invalide.",
    "Not a valid list.": "Liste attendue.",
    "Not a valid mapping type.": "Objet attendu.",
    "Unknown field.": "Champ inconnu.",
    "Invalid input type.": "Type de donnée invalide.",
    "Invalid value.": "Valeur invalide.",
    "Shorter than minimum length {min}.": "Trop court.",
    "Length must be between {min} and {max}.": "Longueur hors limites.",
}

_PREFIXES = {
    "Must be one of: ": "Doit être l'une des valeurs : ",
    "Must be greater than or equal to ": "Doit être supérieur ou égal à ",
    "Must be less than or equal to ": "Doit être inférieur ou égal à ",
    "Longer than maximum length ": "Plus long que la longueur maximale ",
    "Shorter than minimum length ": "Plus court que la longueur minimale ",
    "Length must be between ": "La longueur doit être comprise entre ",
}


def wants_english() -> bool:
    try:
        best = request.accept_languages.best_match(["fr", "en"])
    except RuntimeError:
        return False
    return best == "en"


def translate(message: str) -> str:
    if message in FR:
        return FR[message]
    for en, fr in _PREFIXES.items():
        if message.startswith(en):
            return fr + message[len(en):].replace(" and ", " et ")
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
