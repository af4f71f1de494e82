"""The console's catalogue: every label the templates ask for exists in both languages, and
the language is chosen as browsers ask."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hub.console import messages as catalogues
from hub.console.messages import LANGUAGES, MESSAGES, choose_language, label, translator
from hub.console.pages import HERE
from hub.identity.engine.comparisons import FIELDS as COMPARED_FIELDS
from hub.records import PERSON_FIELDS, IdentifierKind

ASKED = re.compile(r"""\bt\(\s*["']([\w.]+)["']""")
HANDED = re.compile(r'\b(?:error|notice|problem)\s*=\s*"([\w.]+)"')


def asked_ids() -> set[str]:
    ids: set[str] = set()
    for template in (HERE / "templates").glob("*.html"):
        ids |= set(ASKED.findall(template.read_text(encoding="utf-8")))
    for module in HERE.glob("*.py"):  # ids passed to templates, e.g. error="signin.invalid"
        source = module.read_text(encoding="utf-8")
        ids |= {
            found for found in re.findall(r'"([a-z_]+\.[a-z_.]+)"', source) if found in MESSAGES
        }
    return ids


def test_every_label_a_template_asks_for_is_written_in_every_language() -> None:
    asked = asked_ids()
    assert len(asked) > 20, "the scan found no labels: the pattern is out of date"
    # t("status." ~ name) asks for a family of labels: at least one of it must be written.
    missing = sorted(
        message
        for message in asked
        if message not in MESSAGES
        and not (message.endswith(".") and any(m.startswith(message) for m in MESSAGES))
    )
    assert not missing, f"templates ask for labels the catalogue lacks: {missing}"
    untranslated = sorted(
        message for message, texts in MESSAGES.items() if set(texts) != set(LANGUAGES)
    )
    assert not untranslated, f"labels not written in {LANGUAGES}: {untranslated}"


def test_no_label_is_written_in_two_pages_catalogues() -> None:
    seen: dict[str, str] = {}
    twice = []
    for name, part in vars(catalogues).items():
        if name.isupper() and isinstance(part, dict) and part is not MESSAGES:
            twice += [f"{message} ({seen[message]}, {name})" for message in part if message in seen]
            seen.update(dict.fromkeys(part, name))
    assert len(seen) == len(MESSAGES)
    assert not twice, f"written twice, one hides the other: {twice}"


def test_placeholders_agree_between_languages() -> None:
    for message, texts in MESSAGES.items():
        fields = {language: set(re.findall(r"{(\w+)}", text)) for language, text in texts.items()}
        assert fields["en"] == fields["fr"], message


@pytest.mark.parametrize(
    ("chosen", "header", "expected"),
    [
        (None, "fr-FR,fr;q=0.9,en;q=0.8", "fr"),
        (None, "de-DE,de;q=0.9,en;q=0.5,fr;q=0.7", "fr"),  # the best the console speaks
        (None, "de-DE", "en"),
        (None, None, "en"),
        (None, "en;q=bad,fr", "fr"),
        ("en", "fr-FR", "en"),  # the switch wins over the browser
        ("xx", "fr", "fr"),
    ],
)
def test_language_choice(chosen: str | None, header: str | None, expected: str) -> None:
    assert choose_language(chosen, header) == expected


def test_a_label_nobody_wrote_fails_loudly() -> None:
    t = translator("fr")
    assert t("search.none", query="x") == "Aucun client ne correspond à « x »."
    with pytest.raises(KeyError):
        t("no.such.label")


def test_templates_are_shipped_with_the_package() -> None:
    assert (HERE / "templates" / "base.html").exists()
    assert Path(HERE / "static" / "console.css").exists()


def test_every_identifier_kind_and_person_field_has_a_label() -> None:
    kinds = [kind.value for kind in IdentifierKind]
    fields = [*PERSON_FIELDS, "brand"]
    unlabelled = [f"kind.{kind}" for kind in kinds if f"kind.{kind}" not in MESSAGES]
    unlabelled += [f"field.{field}" for field in fields if f"field.{field}" not in MESSAGES]
    assert not unlabelled, f"names from the data shown untranslated: {unlabelled}"
    assert label(translator("fr"), "kind", "LOYALTY_CARD") == "Carte de fidélité"
    assert label(translator("fr"), "field", "shoe_size") == "shoe size"


def test_every_field_identity_resolution_compares_has_a_label() -> None:
    missing = [name for name in COMPARED_FIELDS if f"field.{name}" not in MESSAGES]
    assert not missing, f"evidence fields without a label: {missing}"
