"""The Yousign sandbox's data: signature requests and their signers, and the lifecycle moves.

Seeded from a share of a :class:`~hub.sandbox.Population`: contracts in the customer's language
("Assurance habitation", "Seguro de hogar", "Hausratversicherung", …), mixed statuses, one or two
signers (a couple co-signing), a few people with two contracts (within-source duplicates, each
typed anew), signers spelled the way people type themselves into a form (E.164 phones, as
Yousign requires). Requests are kept in creation order with a sorted index of positions per
status, so a filtered page is a few bisects, not a scan; a 100k-person population (16k
requests) seeds in about two seconds.

Tests move requests through their lifecycle (:meth:`SignatureRequests.activate`, ``sign``,
``decline``, ``expire``, ``cancel``, ``delete``); each move returns the events Yousign would
send, with a snapshot of the request as it was at that moment, so a test can deliver them in
any order.
"""

from __future__ import annotations

import bisect
import copy
import random
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from hub.sandbox import Person, Population, SourceSpelling

STATUSES = (
    "draft",
    "approval",
    "rejected",
    "ongoing",
    "done",
    "declined",
    "expired",
    "canceled",
    "deleted",
)
PRODUCTS = {
    "FR": ("Assurance habitation", "Plan d'épargne retraite", "Assurance auto", "Mutuelle santé"),
    "ES": ("Seguro de hogar", "Plan de pensiones", "Seguro de vida", "Seguro de coche"),
    "DE": ("Hausratversicherung", "Private Rentenversicherung", "Kfz-Versicherung"),
    "IT": ("Assicurazione casa", "Fondo pensione", "Polizza vita", "Assicurazione auto"),
    "GB": ("Home insurance", "Personal pension", "Car insurance", "Life cover"),
}
DECLINE_REASONS = {
    "FR": ("Le tarif ne me convient pas", "J'ai trouvé une meilleure offre ailleurs"),
    "ES": ("He encontrado una oferta mejor", "El precio es demasiado alto"),
    "DE": ("Die Konditionen passen nicht", "Ich habe ein besseres Angebot"),
    "IT": ("Non sono più interessato", "Il premio è troppo alto"),
    "GB": ("Found a cheaper quote", "No longer needed"),
}
LOCALES = {"FR": "fr", "ES": "es", "DE": "de", "IT": "it", "GB": "en"}
TIMEZONES = {
    "FR": "Europe/Paris",
    "ES": "Europe/Madrid",
    "DE": "Europe/Berlin",
    "IT": "Europe/Rome",
    "GB": "Europe/London",
}
SEEDED_STATUSES = {
    "ongoing": 25,
    "done": 45,
    "declined": 10,
    "expired": 10,
    "canceled": 5,
    "draft": 5,
}
# Signers type themselves into the subscription form; Yousign insists on an E.164 phone.
SPELLING = SourceSpelling(
    upper_last_name=0.1,
    drop_accents=0.05,
    nickname=0.03,
    national_phone=0.0,
    missing_phone=0.35,
    missing_email=0.0,
    email_case=0.1,
    typo=0.03,
)
VALIDITY = timedelta(days=180)
WORKSPACE_ID = "5f1d8a52-6f0e-4c55-9a7e-3b0c2f4e9d11"


@dataclass(frozen=True)
class YousignEvent:
    """One webhook event as Yousign records it: the data is a snapshot taken when it happened."""

    event_id: str
    event_name: str
    event_time: int
    data: dict[str, Any]


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def _expiry(created: datetime) -> datetime:
    # Yousign ends a request's validity at the end of a day, as written in its examples.
    return (created + VALIDITY).replace(hour=21, minute=59, second=59, microsecond=0)


class SignatureRequests:
    """Signature requests in creation order, with a position index per status."""

    def __init__(
        self,
        population: Population,
        *,
        share: float = 0.15,
        now: Callable[[], float] = time.time,
    ) -> None:
        self._rng = random.Random(f"{population.seed}:yousign")
        self._now = now
        self.by_id: dict[str, dict[str, Any]] = {}
        self.signers: dict[str, list[dict[str, Any]]] = {}
        self.events: list[YousignEvent] = []
        self._order: list[str | None] = []
        self._index: dict[str, int] = {}
        self._positions: dict[str, list[int]] = defaultdict(list)
        self._last_time: dict[str, int] = {}
        self._quotes = 0
        self._seed(population, share)

    # -- reading -------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.by_id)

    def page(
        self, statuses: Collection[str] | None, after: int, limit: int
    ) -> tuple[list[dict[str, Any]], int | None]:
        """Up to ``limit`` requests at positions ≥ ``after`` in ``statuses`` (all when None),
        and the position to continue from, or ``None`` on the last page."""
        chosen = self._positions.keys() if statuses is None else statuses
        candidates: list[int] = []
        for status in chosen:
            positions = self._positions.get(status, [])
            start = bisect.bisect_left(positions, after)
            candidates.extend(positions[start : start + limit + 1])
        candidates.sort()
        taken = candidates[:limit]
        items = [self.by_id[rid] for p in taken if (rid := self._order[p]) is not None]
        return items, (taken[-1] + 1 if len(candidates) > limit else None)

    def ids(self, status: str | None = None) -> list[str]:
        """Request ids in creation order, optionally of one status."""
        positions = range(len(self._order)) if status is None else self._positions[status]
        return [request_id for p in positions if (request_id := self._order[p]) is not None]

    # -- lifecycle -----------------------------------------------------------------------------

    def create(
        self,
        person: Person,
        *,
        product: str | None = None,
        external_id: str | None = None,
        co_signer: Person | None = None,
    ) -> str:
        """A new draft request for ``person`` (and ``co_signer``), created now; no event."""
        created = datetime.fromtimestamp(int(self._now()), UTC)
        people = [person] if co_signer is None else [person, co_signer]
        return self._add(
            "draft", people, created, product=product, external_id=external_id, spell=False
        )

    def activate(self, request_id: str) -> YousignEvent:
        self._require(request_id, "draft")
        for signer in self.signers[request_id]:
            signer["status"] = "notified"
        self._set_status(request_id, "ongoing")
        return self._event("signature_request.activated", request_id)

    def sign(self, request_id: str, signer_id: str | None = None) -> list[YousignEvent]:
        """One signer signs (the first who has not, by default); the last one makes it done."""
        self._require(request_id, "ongoing")
        signer = self._signer(request_id, signer_id, lambda s: s["status"] != "signed")
        signer["status"] = "signed"
        self._sync_summary(request_id)
        events = [self._event("signer.done", request_id, signer)]
        if all(s["status"] == "signed" for s in self.signers[request_id]):
            self._set_status(request_id, "done")
            events.append(self._event("signature_request.done", request_id))
        return events

    def decline(
        self, request_id: str, signer_id: str | None = None, reason: str = "No longer needed"
    ) -> list[YousignEvent]:
        self._require(request_id, "ongoing")
        signer = self._signer(request_id, signer_id, lambda s: s["status"] != "signed")
        signer["status"] = "declined"
        self._abort_unsigned(request_id)
        when = self._tick(request_id)
        self.by_id[request_id]["decline_information"] = {
            "signer_id": signer["id"],
            "reason": reason,
            "declined_at": iso(datetime.fromtimestamp(when, UTC)),
        }
        self._set_status(request_id, "declined")
        return [
            self._event("signer.declined", request_id, signer, at=when),
            self._event("signature_request.declined", request_id, at=when),
        ]

    def expire(self, request_id: str) -> YousignEvent:
        self._require(request_id, "ongoing")
        when = self._tick(request_id)
        self.by_id[request_id]["expiration_date"] = iso(datetime.fromtimestamp(when, UTC))
        self._set_status(request_id, "expired")
        return self._event("signature_request.expired", request_id, at=when)

    def cancel(self, request_id: str) -> YousignEvent:
        self._require(request_id, "ongoing")
        self._abort_unsigned(request_id)
        self._set_status(request_id, "canceled")
        return self._event("signature_request.canceled", request_id)

    def delete(self, request_id: str, *, permanent: bool = False) -> None:
        """Deleted requests stay readable by id (status ``deleted``) unless ``permanent``."""
        if not permanent:
            self._set_status(request_id, "deleted")
            return
        status = self.by_id.pop(request_id)["status"]
        self.signers.pop(request_id)
        position = self._unindex(request_id, status)
        self._order[position] = None
        del self._index[request_id]

    def event_now(
        self, event_name: str, request_id: str, signer_id: str | None = None
    ) -> YousignEvent:
        """An event about the request as it is now (for a webhook no lifecycle move made)."""
        signer = None
        if event_name.startswith("signer."):
            signer = self._signer(request_id, signer_id, lambda s: True)
        return self._event(event_name, request_id, signer)

    # -- internals -----------------------------------------------------------------------------

    def _require(self, request_id: str, status: str) -> None:
        current = self.by_id[request_id]["status"]
        if current != status:
            raise ValueError(f"request {request_id} is {current}, not {status}")

    def _signer(
        self, request_id: str, signer_id: str | None, eligible: Callable[[dict[str, Any]], bool]
    ) -> dict[str, Any]:
        for signer in self.signers[request_id]:
            if (signer_id is None and eligible(signer)) or signer["id"] == signer_id:
                return signer
        raise ValueError(f"request {request_id} has no such signer ({signer_id})")

    def _abort_unsigned(self, request_id: str) -> None:
        for signer in self.signers[request_id]:
            if signer["status"] not in ("signed", "declined"):
                signer["status"] = "aborted"

    def _tick(self, request_id: str) -> int:
        """A time for the request's next event: now, yet always after its previous one."""
        moment = max(int(self._now()), self._last_time.get(request_id, 0) + 1)
        self._last_time[request_id] = moment
        return moment

    def _event(
        self,
        name: str,
        request_id: str,
        signer: dict[str, Any] | None = None,
        *,
        at: int | None = None,
    ) -> YousignEvent:
        data: dict[str, Any] = {"signature_request": copy.deepcopy(self.by_id[request_id])}
        if signer is not None:
            data["signer"] = copy.deepcopy(signer)
        event = YousignEvent(
            self._uuid(), name, at if at is not None else self._tick(request_id), data
        )
        self.events.append(event)
        return event

    def _sync_summary(self, request_id: str) -> None:
        self.by_id[request_id]["signers"] = [
            {"id": s["id"], "status": s["status"]} for s in self.signers[request_id]
        ]

    def _set_status(self, request_id: str, status: str) -> None:
        request = self.by_id[request_id]
        position = self._unindex(request_id, request["status"])
        request["status"] = status
        bisect.insort(self._positions[status], position)
        self._sync_summary(request_id)

    def _unindex(self, request_id: str, status: str) -> int:
        position = self._index[request_id]
        positions = self._positions[status]
        del positions[bisect.bisect_left(positions, position)]
        return position

    def _uuid(self) -> str:
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    # -- seeding -------------------------------------------------------------------------------

    def _seed(self, population: Population, share: float) -> None:
        rng = self._rng
        today = datetime.fromtimestamp(int(self._now()), UTC).replace(hour=0, minute=0, second=0)
        by_country: dict[str, list[Person]] = defaultdict(list)
        for person in population.people:
            by_country[person.country].append(person)
        statuses, weights = list(SEEDED_STATUSES), list(SEEDED_STATUSES.values())
        for person in population.sample(share, "yousign"):
            # About one customer in ten signed two contracts: a duplicate within this source.
            for _ in range(2 if rng.random() < 0.1 else 1):
                status = rng.choices(statuses, weights)[0]
                people = [person]
                if rng.random() < 0.18:  # a couple co-signing
                    partner = rng.choice(by_country[person.country])
                    if partner is not person:
                        people.append(partner)
                self._add(status, people, _seeded_creation(rng, status, today), spell=True)

    def _add(
        self,
        status: str,
        people: list[Person],
        created: datetime,
        *,
        product: str | None = None,
        external_id: str | None = None,
        spell: bool,
    ) -> str:
        rng = self._rng
        country = people[0].country
        position = len(self._order)
        request_id = self._uuid()
        signers = [
            self._new_signer(SPELLING.spell(p, f"yousign:{position}") if spell else p, status)
            for p in people
        ]
        request: dict[str, Any] = {
            "id": request_id,
            "status": status,
            "name": product or rng.choice(PRODUCTS[country]),
            "delivery_mode": "email",
            "created_at": iso(created),
            "ordered_signers": False,
            "reminder_settings": None,
            "timezone": TIMEZONES[country],
            "email_custom_note": None,
            "expiration_date": iso(_expiry(created)),
            "source": "public_api",
            "signers": [],
            "approvers": [],
            "documents": [{"id": self._uuid(), "nature": "signable_document"}],
            "sender": None,
            "external_id": external_id if external_id is not None else self._quote(created),
            "branding_id": None,
            "custom_experience_id": None,
            "signers_allowed_to_decline": True,
            "workspace_id": WORKSPACE_ID,
            "audit_trail_locale": LOCALES[country],
            "bulk_send_batch_id": None,
            "decline_information": None,
        }
        last = created
        if status == "declined":
            decliner = rng.choice(signers)
            decliner["status"] = "declined"
            declined = created + timedelta(hours=rng.uniform(1, 240))
            request["decline_information"] = {
                "signer_id": decliner["id"],
                "reason": rng.choice(DECLINE_REASONS[country]),
                "declined_at": iso(declined),
            }
            last = declined
        elif status == "expired":
            last = _expiry(created)
        elif status == "ongoing" and len(signers) > 1 and rng.random() < 0.5:
            signers[0]["status"] = "signed"  # one of the couple has signed already
        self.by_id[request_id] = request
        self.signers[request_id] = signers
        self._order.append(request_id)
        self._index[request_id] = position
        self._positions[status].append(position)  # positions only grow: stays sorted
        self._last_time[request_id] = int(last.timestamp())
        self._sync_summary(request_id)
        return request_id

    def _new_signer(self, person: Person, request_status: str) -> dict[str, Any]:
        status = {
            "draft": "initiated",
            "ongoing": "notified",
            "done": "signed",
            "declined": "aborted",
            "expired": "notified",
            "canceled": "aborted",
        }.get(request_status, "notified")
        return {
            "id": self._uuid(),
            "info": {
                "first_name": person.first_name,
                "last_name": person.last_name,
                "email": person.email or None,
                "phone_number": person.phone or None,
                "locale": LOCALES[person.country],
            },
            "status": status,
            "fields": [],
            "signature_level": "electronic_signature",
            "signature_authentication_mode": "otp_sms" if person.phone else "otp_email",
            "signature_link": None,
            "signature_link_expiration_date": None,
            "signature_image_preview": None,
            "redirect_urls": {"success": None, "error": None, "decline": None},
            "custom_text": {
                "request_subject": None,
                "request_body": None,
                "reminder_subject": None,
                "reminder_body": None,
            },
            "delivery_mode": "email",
            "identification_attestation_id": None,
            "sms_notification": {"otp_message": None},
            "email_notification": {"custom_note": None},
        }

    def _quote(self, created: datetime) -> str | None:
        """The subscriber's quote reference, as the insurer's front end sets it (mostly)."""
        if self._rng.random() < 0.15:
            return None
        self._quotes += 1
        return f"QUOTE-{created.year}-{self._quotes:04d}"


def _seeded_creation(rng: random.Random, status: str, today: datetime) -> datetime:
    """A creation time consistent with the status: ongoing ones have not expired yet."""
    if status in ("ongoing", "draft"):
        days = rng.uniform(1, 150)
    elif status == "expired":
        days = rng.uniform(190, 540)
    else:
        days = rng.uniform(1, 540)
    return (today - timedelta(days=days)).replace(microsecond=0)
