"""The review queue: grey-zone pairs, one item's two profiles side by side with the evidence,
and an agent's answer (merge, keep apart, never merge), each with a reason.

Whether a viewer may review is the schema's rule (``reviewQueue`` and ``decideReviewItem``
refuse keys without DECIDE_IDENTITY); the pages only show that refusal clearly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from hub.access import Viewer
from hub.console.decisions import AuditLine, Refusal, audit_lines, submit_decision
from hub.console.formats import short_time
from hub.console.graphql import GraphQLRunner, QueryFailed
from hub.console.pages import PREFIX, failure_page, render

QUEUE_PAGE_SIZE = 20
ANSWERS = {"MERGE": "merged", "KEEP_APART": "kept_apart", "NEVER_MERGE": "never_merge"}
"""The form's answers (the schema's ReviewAction) and the notice each leaves."""


def full_name(customer: dict[str, Any]) -> str:
    return " ".join(part for part in (customer["firstName"], customer["lastName"]) if part)


@dataclass(frozen=True)
class QueueSide:
    customer_id: str | None
    """``None``: the record is of a brand outside the viewer's scope."""
    name: str
    brand: str | None
    record: str

    @classmethod
    def from_data(cls, side: dict[str, Any]) -> QueueSide:
        record, customer = side["record"], side["customer"]
        if record is None or customer is None:
            return cls(None, "", None, "")
        return cls(
            customer["id"],
            full_name(customer) or customer["id"],
            customer["brand"],
            f"{record['connector']}:{record['sourceId']}",
        )


@dataclass(frozen=True)
class QueueLine:
    id: str
    score: float
    filed: str
    left: QueueSide
    right: QueueSide


@dataclass(frozen=True)
class ComparedField:
    """One golden field of both profiles, and whether they hold the same value."""

    name: str
    left: str | None
    right: str | None

    @property
    def same(self) -> bool:
        return (
            self.left is not None and (self.left or "").casefold() == (self.right or "").casefold()
        )


@dataclass(frozen=True)
class EvidenceLine:
    field: str
    level: str
    weight: float
    left: str | None
    right: str | None


@dataclass(frozen=True)
class RecordLine:
    connector: str
    entity: str
    source_id: str
    in_pair: bool
    """The record the pair is about (a profile may hold others)."""


@dataclass(frozen=True)
class PairSide:
    customer_id: str | None
    name: str
    brand: str | None
    records: list[RecordLine]

    @classmethod
    def from_data(cls, side: dict[str, Any]) -> PairSide:
        record, customer = side["record"], side["customer"]
        if record is None or customer is None:
            return cls(None, "", None, [])
        lines = [
            RecordLine(r["connector"], r["entity"], r["sourceId"], r["id"] == record["id"])
            for r in customer["sourceRecords"]
        ]
        return cls(customer["id"], full_name(customer) or customer["id"], customer["brand"], lines)


@dataclass(frozen=True)
class ReviewPage:
    id: str
    score: float
    rule: str
    status: str
    filed: str
    decided_at: str
    decided_by: str | None
    reason: str | None
    left: PairSide
    right: PairSide
    compared: list[ComparedField]
    evidence: list[EvidenceLine]
    decisions: list[AuditLine]

    @property
    def is_open(self) -> bool:
        return self.status == "OPEN"

    @classmethod
    def from_data(cls, item: dict[str, Any]) -> ReviewPage:
        golden = [_golden(item[side]["customer"]) for side in ("left", "right")]
        names = list(dict.fromkeys([*golden[0], *golden[1]]))
        entries = [
            entry
            for side in ("left", "right")
            if item[side]["customer"] is not None
            for entry in item[side]["customer"]["auditEntries"]
        ]
        return cls(
            id=item["id"],
            score=item["score"],
            rule=item["rule"],
            status=item["status"],
            filed=short_time(item["createdAt"]),
            decided_at=short_time(item["decidedAt"]),
            decided_by=item["decidedBy"],
            reason=item["reason"],
            left=PairSide.from_data(item["left"]),
            right=PairSide.from_data(item["right"]),
            compared=[ComparedField(n, golden[0].get(n), golden[1].get(n)) for n in names],
            evidence=[
                EvidenceLine(f["field"], f["level"], f["weight"], f["left"], f["right"])
                for f in item["fields"]
            ],
            decisions=audit_lines(entries),
        )


def _golden(customer: dict[str, Any] | None) -> dict[str, str | None]:
    if customer is None:
        return {}
    return {field["name"]: field["value"] for field in customer["goldenFields"]}


async def review_queue_page(request: Request, viewer: Viewer) -> Response:
    runner = GraphQLRunner.for_request(request, viewer)
    after = request.query_params.get("after") or None
    try:
        data = await runner.run("review_queue", first=QUEUE_PAGE_SIZE, after=after)
    except QueryFailed as failed:
        return failure_page(request, viewer, failed.code, "review.forbidden")
    queue = data["reviewQueue"]
    lines = [
        QueueLine(
            node["id"],
            node["score"],
            short_time(node["createdAt"]),
            QueueSide.from_data(node["left"]),
            QueueSide.from_data(node["right"]),
        )
        for node in (edge["node"] for edge in queue["edges"])
    ]
    more = queue["pageInfo"]["endCursor"] if queue["pageInfo"]["hasNextPage"] else None
    return render(
        request,
        "review.html",
        viewer,
        lines=lines,
        next_page=f"{PREFIX}/review?{urlencode({'after': more})}" if more else None,
        paged=after is not None,
        notice=_notice(request),
    )


def _notice(request: Request) -> dict[str, str] | None:
    """The notice a redirect after a decision asks for: what was done, and to which profile."""
    done = request.query_params.get("done")
    if done is None or done not in ANSWERS.values():
        return None
    return {"answer": done, "profile": request.query_params.get("profile", "")}


async def _show_item(
    request: Request, viewer: Viewer, status_code: int = 200, **values: Any
) -> Response:
    runner = GraphQLRunner.for_request(request, viewer)
    try:
        data = await runner.run("review_item", id=request.path_params["item_id"])
    except QueryFailed as failed:
        return failure_page(request, viewer, failed.code, "review.forbidden")
    item = data["reviewItem"]
    if item is None:
        return render(request, "review_item.html", viewer, status_code=404, item=None)
    return render(
        request,
        "review_item.html",
        viewer,
        status_code=status_code,
        item=ReviewPage.from_data(item),
        **values,
    )


async def review_item_page(request: Request, viewer: Viewer) -> Response:
    return await _show_item(request, viewer, notice=_notice(request))


def _answer(item_id: str, form: dict[str, str]) -> dict[str, Any] | Refusal:
    answer = form.get("decision", "")
    if answer not in ANSWERS:
        return Refusal("UNKNOWN_ACTION", f"choose one of {', '.join(ANSWERS)}")
    return {"item": item_id, "decision": answer}


async def review_decide(request: Request, viewer: Viewer) -> Response:
    """Answer the item, then go to the next open one (or the empty queue) with a notice."""
    item_id = request.path_params["item_id"]
    submitted = await submit_decision(
        request,
        viewer,
        ("decide_review_item", "decideReviewItem"),
        lambda form: _answer(item_id, form),
    )
    if isinstance(submitted, Response):
        return submitted
    result = submitted.result
    if isinstance(result, Refusal):
        return await _show_item(
            request, viewer, result.status_code, refusal=result, reason_typed=submitted.reason
        )
    decision = result["decision"]
    answer = ANSWERS[submitted.form["decision"]]
    notice = {"done": answer, "profile": decision["profileId"] if decision else ""}
    runner = GraphQLRunner.for_request(request, viewer)
    following = (await runner.run("next_review_item"))["reviewQueue"]["edges"]
    target = f"{PREFIX}/review/{following[0]['node']['id']}" if following else f"{PREFIX}/review"
    return RedirectResponse(f"{target}?{urlencode(notice)}", status_code=303)
