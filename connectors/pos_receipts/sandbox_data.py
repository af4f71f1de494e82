"""Seeded till receipts of a small French chain, and the CSV exports its back office writes.

Four stores, each exporting the way its till software does: Windows-1252 or UTF-8 with a BOM,
one ``Date`` column with the time or ``Date`` and ``Heure``, thousands grouped with a space, a
no-break space or a narrow no-break space, a ``€`` sign or not, returns as negative figures or a
``Retour`` flag. Exports are cut every ``rows_per_file`` rows, even inside a receipt, as back
offices cut by size; now and then a line is written twice.
"""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from hub.sandbox.people import Person, Population, SourceSpelling

GUEST_CARD = "0000000000000"
"""The card a cashier scans for a customer without one: shared by strangers."""
TILL_SPELLING = SourceSpelling(
    upper_last_name=0.5,
    drop_accents=0.15,
    national_phone=0.8,
    missing_phone=0.35,
    missing_email=0.3,
    email_case=0.05,
    typo=0.03,
)


@dataclass(frozen=True)
class Store:
    code: str
    city: str
    encoding: str
    registers: int
    thousands: str
    """How the till groups thousands: "" (not at all), " ", NBSP or narrow NBSP."""
    euro_sign: bool = False
    one_datetime_column: bool = False
    refund_flag: bool = False
    currency_column: bool = False

    def header(self) -> list[str]:
        columns = ["Code magasin", "Caisse", "Caissier", "N° ticket", "N° ligne", "Date"]
        columns += [] if self.one_datetime_column else ["Heure"]
        columns += ["N° carte fidélité", "Prénom", "Nom", "E-mail", "Téléphone"]
        columns += ["Code article", "Libellé", "Qté", "PU TTC", "Montant TTC", "Total ticket"]
        columns += ["Mode de paiement"]
        columns += ["Retour"] if self.refund_flag else []
        columns += ["Devise"] if self.currency_column else []
        return columns

    def amount(self, minor: int) -> str:
        """``-1 234,50``, as this store's till writes it."""
        units, cents = divmod(abs(minor), 100)
        digits = f"{units:,}".replace(",", self.thousands)
        text = f"{'-' if minor < 0 else ''}{digits},{cents:02d}"
        return f"{text}\u00a0€" if self.euro_sign else text


STORES = (
    Store("PAR01", "Paris", "cp1252", 3, " ", currency_column=True),
    Store("LYO02", "Lyon", "utf-8-sig", 2, "", one_datetime_column=True),
    Store("MRS03", "Marseille", "cp1252", 2, "\u00a0", euro_sign=True),
    Store("BDX04", "Bordeaux", "utf-8-sig", 2, "\u202f", refund_flag=True),
)
CATALOG = (
    ("3612345000017", "T-shirt coton bio", 1990),
    ("3612345000024", "Pull col roulé mérinos", 8900),
    ("3612345000031", "Jean droit délavé", 6990),
    ("3612345000048", "Écharpe laine", 3500),
    ("3612345000055", "Chaussettes (lot de 3)", 1290),
    ("3612345000062", "Manteau cachemire", 129900),
    ("3612345000079", "Robe d'été à fleurs", 5990),
    ("3612345000086", "Ceinture cuir", 4500),
    ("3612345000093", "Bonnet côtelé", 2200),
    ("3612345000109", "Sac à main « Étoile »", 24900),
    ("3612345000116", "Carte cadeau", 5000),
    ("3612345000123", "Chemise lin", 7900),
)
CASHIERS = ("Nadia", "Karim", "Sophie", "Théo", "Inès", "Lucas", "Chloé", "Mehdi")
PAYMENTS = (("CB", 70), ("Espèces", 14), ("Sans contact", 10), ("Carte cadeau", 4), ("Chèque", 2))


def loyalty_card(person_id: str, salt: str = "") -> str:
    """A 13-digit EAN with a valid check digit in the in-store range (prefix 2), stable per
    person: the same person gets the same card from any sandbox built on the same seed."""
    digest = hashlib.sha256(f"{person_id}:{salt}".encode()).hexdigest()
    body = "2" + str(int(digest[:16], 16))[-11:].zfill(11)
    weighted = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - weighted % 10) % 10)


@dataclass(frozen=True)
class SaleLine:
    sku: str
    title: str
    quantity: int
    unit_minor: int

    @property
    def total_minor(self) -> int:
        return self.quantity * self.unit_minor


@dataclass
class TillReceipt:
    store: Store
    register: int
    cashier: str
    at: datetime
    """Local time at the till, without an offset, as the export writes it."""
    lines: tuple[SaleLine, ...]
    payment: str
    card: str = ""
    customer: Person | None = None
    """The loyalty member as the back office spells them; ``None`` for an anonymous ticket."""
    number: str = ""
    doubled_line: int | None = None
    """A line the till wrote twice in the export (its index), as tills now and then do."""

    @property
    def total_minor(self) -> int:
        return sum(line.total_minor for line in self.lines)

    @property
    def source_id(self) -> str:
        return f"{self.store.code}:{self.at:%Y-%m-%d}:{self.number}"


@dataclass
class ReceiptBook:
    """Every receipt of the chain over ``days`` days from ``start``, numbered per store and day."""

    population: Population
    start: date = date(2026, 11, 23)
    days: int = 3
    anonymous_share: float = 0.4
    rows_per_file: int = 2000
    receipts: list[TillReceipt] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = random.Random(f"{self.population.seed}:pos-receipts")
        self.members = self.population.sample(0.35, "pos")
        self.cards: dict[str, list[str]] = {}
        for person in self.members:
            cards = [loyalty_card(person.person_id, str(self.population.seed))]
            if self.rng.random() < 0.03:  # a lost card replaced: one person, two cards
                cards.append(loyalty_card(person.person_id, f"{self.population.seed}:new"))
            self.cards[person.person_id] = cards
        self._generate(self.members, range(self.days))

    def add_day(self, share: float = 0.05) -> date:
        """One more day of trading for a share of the members; returns its date."""
        self.days += 1
        shoppers = [p for p in self.members if self.rng.random() < share]
        self._generate(shoppers, range(self.days - 1, self.days), visits=(1, 1))
        return self.start + timedelta(days=self.days - 1)

    def _generate(
        self, shoppers: list[Person], days: range, visits: tuple[int, int] = (1, 4)
    ) -> None:
        rng, new = self.rng, []
        for person in shoppers:
            home = STORES[int(person.person_id[1:]) % len(STORES)]
            cards = self.cards[person.person_id]
            spelled = TILL_SPELLING.spell(person, "pos")
            for visit in range(rng.randint(*visits)):
                store = home if rng.random() < 0.8 else rng.choice(STORES)
                card = cards[-1] if visit and len(cards) > 1 else cards[0]
                new.append(self._receipt(store, rng.choice(days), card, spelled))
        for _ in range(int(len(new) * self.anonymous_share / (1 - self.anonymous_share))):
            card = GUEST_CARD if rng.random() < 0.3 else ""
            new.append(self._receipt(rng.choice(STORES), rng.choice(days), card, None))
        self._number(new)
        self.receipts.extend(new)

    def _receipt(self, store: Store, day: int, card: str, customer: Person | None) -> TillReceipt:
        rng = self.rng
        at = datetime.combine(self.start + timedelta(days=day), time(9)) + timedelta(
            seconds=rng.randrange(11 * 3600)
        )
        returned = rng.random() < 0.03
        lines = tuple(
            SaleLine(sku, title, -1 if returned else rng.choice((1, 1, 1, 2, 3)), price)
            for sku, title, price in rng.sample(CATALOG, 1 if returned else rng.randint(1, 4))
        )
        payment = rng.choices([p for p, _ in PAYMENTS], [w for _, w in PAYMENTS])[0]
        register = rng.randint(1, store.registers)
        receipt = TillReceipt(store, register, rng.choice(CASHIERS), at, lines, payment, card)
        receipt.customer = customer
        if rng.random() < 0.005:
            receipt.doubled_line = rng.randrange(len(lines))
        return receipt

    def _number(self, receipts: list[TillReceipt]) -> None:
        """Ticket numbers as tills print them: date, register, then a sequence per register."""
        receipts.sort(key=lambda r: (r.store.code, r.at))
        sequence: dict[tuple[str, date, int], int] = defaultdict(int)
        for receipt in receipts:
            key = (receipt.store.code, receipt.at.date(), receipt.register)
            sequence[key] += 1
            receipt.number = f"{receipt.at:%y%m%d}{receipt.register}{sequence[key]:04d}"

    def exports(self) -> dict[str, bytes]:
        """File name → bytes, one or more files per store and day."""
        by_day: dict[tuple[Store, date], list[TillReceipt]] = defaultdict(list)
        for receipt in self.receipts:
            by_day[(receipt.store, receipt.at.date())].append(receipt)
        files: dict[str, bytes] = {}
        for (store, day), receipts in sorted(by_day.items(), key=lambda i: (i[0][0].code, i[0][1])):
            receipts.sort(key=lambda r: r.at)
            rows = [row for receipt in receipts for row in self._rows(receipt)]
            for part, start in enumerate(range(0, len(rows), self.rows_per_file), start=1):
                text = "\r\n".join(
                    [";".join(store.header()), *rows[start : start + self.rows_per_file]]
                )
                name = f"{store.code}_{day:%Y%m%d}_{part:02d}.csv"
                files[name] = (text + "\r\n").encode(store.encoding)
        return files

    def _rows(self, receipt: TillReceipt) -> list[str]:
        store, person = receipt.store, receipt.customer
        flagged = store.refund_flag and receipt.total_minor < 0
        sign = -1 if flagged else 1  # a flagged return is written with positive figures
        when = (
            [f"{receipt.at:%d/%m/%Y %H:%M:%S}"]
            if store.one_datetime_column
            else [
                f"{receipt.at:%d/%m/%Y}",
                f"{receipt.at:%H:%M}",
            ]
        )
        who = [receipt.card]
        if person:
            who += map(_cell, (person.first_name, person.last_name, person.email, person.phone))
        else:
            who += [""] * 4
        rows = []
        for number, line in enumerate(receipt.lines, start=1):
            cells = [
                store.code,
                f"C{receipt.register}",
                receipt.cashier,
                receipt.number,
                str(number),
            ]
            cells += when + who
            cells += [line.sku, _cell(line.title), str(sign * line.quantity)]
            cells += [store.amount(line.unit_minor), store.amount(sign * line.total_minor)]
            cells += [store.amount(sign * receipt.total_minor), receipt.payment]
            cells += ["O" if flagged else ""] if store.refund_flag else []
            cells += ["EUR"] if store.currency_column else []
            rows.append(";".join(cells))
            if receipt.doubled_line == number - 1:
                rows.append(rows[-1])
        return rows


def _cell(text: str) -> str:
    return f'"{text.replace(chr(34), chr(34) * 2)}"' if any(c in text for c in ';"\r\n') else text
