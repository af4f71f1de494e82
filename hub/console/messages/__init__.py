"""The console's labels in English and French, and the choice of language for a request.

One catalogue, keyed by message id: a template asks ``t("search.label")`` and gets the text of
the viewer's language. A missing French text falls back to English, and a missing id fails
loudly in tests rather than showing an id to an agent.
"""

from __future__ import annotations

from collections.abc import Callable

from hub.console.messages.accounts import ACCOUNTS
from hub.console.messages.common import COMMON
from hub.console.messages.profile import PROFILE
from hub.console.messages.review import REVIEW
from hub.console.messages.sync_pages import SYNC_PAGES

LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"

MESSAGES: dict[str, dict[str, str]] = {**COMMON, **SYNC_PAGES, **ACCOUNTS, **PROFILE, **REVIEW}
"""The whole catalogue; each page's labels are written in a module of their own."""

Translate = Callable[..., str]


def choose_language(chosen: str | None, accept_language: str | None) -> str:
    """The language a viewer chose with the switch, else the first of Accept-Language the
    console speaks (``fr-FR,fr;q=0.9,en;q=0.8`` gives French), else English."""
    if chosen in LANGUAGES:
        return chosen
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        ranked.append((-quality, position, tag.split("-")[0].lower()))
    for _, _, language in sorted(ranked):
        if language in LANGUAGES:
            return language
    return DEFAULT_LANGUAGE


def translator(language: str) -> Translate:
    """``t(id, **values)``: the message ``id`` in ``language``, with ``{values}`` filled in."""

    def t(message_id: str, **values: object) -> str:
        texts = MESSAGES[message_id]  # KeyError: a template asks for a message nobody wrote
        text = texts.get(language) or texts[DEFAULT_LANGUAGE]
        return text.format(**values) if values else text

    return t


def label(t: Translate, group: str, name: str) -> str:
    """The label of a name from the data (a golden field, an identifier kind) in ``group`` of
    the catalogue; a name the catalogue does not know shows as it is, made readable."""
    name = name.lower()
    message_id = f"{group}.{name}"
    return t(message_id) if message_id in MESSAGES else name.replace("_", " ")
