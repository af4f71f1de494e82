"""Rendering the console's pages: templates, language, and the values every page needs."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from hub.access import Permission, Viewer
from hub.console.messages import LANGUAGES, choose_language, label, translator
from hub.console.session import LANGUAGE_FIELD, csrf_token

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")
PREFIX = "/console"


def language(request: Request) -> str:
    """The page's language; ``?lang=fr`` (the switch) is remembered in the session."""
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        request.session[LANGUAGE_FIELD] = asked
    return choose_language(
        request.session.get(LANGUAGE_FIELD), request.headers.get("accept-language")
    )


def with_language(request: Request, lang: str) -> str:
    """This page's address in another language (the switch's links)."""
    query = {**request.query_params, "lang": lang}
    return f"{request.url.path}?{urlencode(query)}"


def render(
    request: Request,
    template: str,
    viewer: Viewer | None,
    status_code: int = 200,
    **values: Any,
) -> Response:
    lang = language(request)
    t = translator(lang)
    context = {
        "t": t,
        "lang": lang,
        "languages": LANGUAGES,
        "with_language": lambda other: with_language(request, other),
        "label": lambda group, name: label(t, group, name),
        "csrf": csrf_token(request),
        "viewer": viewer,
        "may_decide": viewer is not None and viewer.may(Permission.DECIDE_IDENTITY),
        "prefix": PREFIX,
        **values,
    }
    response = templates.TemplateResponse(request, template, context, status_code=status_code)
    response.headers["Content-Language"] = lang
    # Pages show personal data: no shared cache keeps them, no other site frames them.
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def safe_next(target: str | None) -> str:
    """Where to go after signing in: only a console page, never another site."""
    if target and target.startswith(f"{PREFIX}/") and not target.startswith("//"):
        return target
    return f"{PREFIX}/"
