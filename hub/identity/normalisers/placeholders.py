"""Values typed only to fill a mandatory field: words that mean "none", and keyboard fillers.

Shared by every field: a name "Inconnu", an e-mail "noemail@…", a phone "0000000000" and a
card "000000" are all someone getting past a form. Words are compared folded (lower case, no
accents, single spaces), so "N/A", "n.a." and "N A" are one word list entry.
"""

from __future__ import annotations

PLACEHOLDER_WORDS = frozenset(
    {
        # "none", "nothing", "no value"
        "none",
        "null",
        "nil",
        "na",
        "n a",
        "nd",
        "n d",
        "nc",
        "n c",
        "aucun",
        "aucune",
        "neant",
        "rien",
        "ninguno",
        "nessuno",
        "keine",
        "kein",
        "keiner",
        # "unknown"
        "unknown",
        "inconnu",
        "inconnue",
        "desconocido",
        "desconocida",
        "sconosciuto",
        "sconosciuta",
        "unbekannt",
        "anonymous",
        "anonyme",
        "anonimo",
        "anonima",
        # "customer", "name": the label of the field typed into it
        "client",
        "cliente",
        "kunde",
        "kundin",
        "customer",
        "nom",
        "prenom",
        "name",
        "vorname",
        "nachname",
        "nombre",
        "apellido",
        "nome",
        "cognome",
        # test data
        "test",
        "tests",
        "testing",
        "essai",
        "prueba",
        "prova",
        "dummy",
        "fake",
        "xxx",
        "x",
        "asdf",
        "qwerty",
        "azerty",
        "qwertz",
        "abc",
        "abcd",
        "abcdef",
    }
)


def _is_digit_run(text: str) -> bool:
    """123, 0123456789, 1234567890, 987654: each digit one more (or one less) than the last."""
    if len(text) < 3 or not text.isdigit():
        return False
    turns = len(text) // 10 + 2  # a run may wrap round, 7890123, and be longer than ten
    return text in "0123456789" * turns or text in "9876543210" * turns


def is_filler(text: str) -> bool:
    """One character repeated (xxx, 0000) or a run of consecutive digits (123456)."""
    return (len(text) >= 2 and len(set(text)) == 1) or _is_digit_run(text)


def is_placeholder(folded: str) -> bool:
    """Whether folded text (single spaces) is a placeholder word or a filler."""
    return folded in PLACEHOLDER_WORDS or is_filler(folded.replace(" ", ""))
