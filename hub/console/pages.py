"""Rendering the console's pages: templates, language, and the values every page needs."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from hub.access import Viewer
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


def with_params(request: Request, **changes: str | None) -> str:
    """This page's address with some query parameters changed (``None`` drops one)."""
    query = {**request.query_params, **changes}
    kept = {name: value for name, value in query.items() if value is not None}
    return f"{request.url.path}?{urlencode(kept)}"


def with_language(request: Request, lang: str) -> str:
    """This page's address in another language (the switch's links)."""
    return with_params(request, lang=lang)


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


REFUSED_CODES = frozenset({"FORBIDDEN", "PERMISSION_DENIED"})
"""The codes of the schema's refusals (a role that may not read a list)."""


def failure_page(request: Request, viewer: Viewer, code: str) -> Response:
    """The page for a query the schema refused: "not allowed" for a refusal of the viewer's
    role, the error page (with the code) for anything else."""
    if code in REFUSED_CODES:
        return render(request, "not_allowed.html", viewer, status_code=403)
    return render(request, "error.html", viewer, status_code=400, code=code)


def safe_next(target: str | None) -> str:
    """Where to go after signing in: only a console page, never another site."""
    if target and target.startswith(f"{PREFIX}/") and not target.startswith("//"):
        return target
    return f"{PREFIX}/"
