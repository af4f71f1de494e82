"""Which column of an export holds which receipt field: French defaults and the header match.

Back offices name their columns slightly differently (``N° ticket`` or ``N° de ticket``,
``Code article`` or ``EAN``), so each field has a few usual headers, tried in order. A header
named in the ``columns`` setting replaces them, and must then be in the file; a blank one
switches a field off.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from hub.connector.mapping import RecordError
from hub.records import PERSON_FIELDS

DEFAULT_HEADERS: dict[str, tuple[str, ...]] = {
    "receipt": ("N° ticket", "N° de ticket", "Numéro de ticket", "Ticket"),
    "store": ("Code magasin", "Magasin"),
    "register": ("Caisse", "N° caisse"),
    "cashier": ("Caissier", "Vendeur"),
    "line_no": ("N° ligne", "Ligne"),
    "date": ("Date", "Date/heure", "Date heure", "Horodatage"),
    "time": ("Heure",),
    "loyalty_card": ("N° carte fidélité", "Carte fidélité", "N° carte"),
    "customer_id": ("Code client", "N° client"),
    "sku": ("Code article", "EAN", "Référence"),
    "title": ("Libellé", "Désignation"),
    "quantity": ("Qté", "Quantité"),
    "unit_price": ("PU TTC", "Prix unitaire TTC", "Prix unitaire"),
    "line_total": ("Montant TTC", "Total ligne TTC", "Montant"),
    "receipt_total": ("Total ticket", "Total ticket TTC"),
    "payment": ("Mode de paiement", "Règlement"),
    "refund": ("Retour", "Remboursement"),
    "currency": ("Devise",),
    "first_name": ("Prénom",),
    "last_name": ("Nom",),
    "email": ("E-mail", "Email", "Courriel"),
    "phone": ("Téléphone", "Tél", "Portable"),
}
MAPPABLE_FIELDS: tuple[str, ...] = tuple(dict.fromkeys([*DEFAULT_HEADERS, *PERSON_FIELDS]))
REQUIRED_FIELDS = ("receipt", "store", "date")
AMOUNT_FIELDS = ("line_total", "unit_price")
"""At least one of them: a line total, or a unit price to multiply by the quantity."""


def _header_key(name: str) -> str:
    """Headers compare without case, with ``Nº`` read as ``N°`` and runs of spaces as one."""
    return re.sub(r"\s+", " ", name.replace("\ufeff", "").replace("º", "°")).strip().casefold()


@dataclass(frozen=True)
class ColumnChoices:
    """The headers tried for each field, from the defaults and the ``columns`` setting."""

    candidates: Mapping[str, tuple[str, ...]]
    named: frozenset[str]
    """Fields whose header the settings named: a file without it is refused."""

    @classmethod
    def from_settings(cls, columns: Mapping[str, str]) -> ColumnChoices:
        unknown = sorted(set(columns) - set(MAPPABLE_FIELDS))
        if unknown:
            raise ValueError(f"unknown field {unknown[0]!r}; fields: {', '.join(MAPPABLE_FIELDS)}")
        blank = [name for name in REQUIRED_FIELDS if not columns.get(name, "x").strip()]
        if blank:
            raise ValueError(f"field {blank[0]!r} cannot be switched off: receipts need it")
        candidates = dict(DEFAULT_HEADERS)
        for name, header in columns.items():
            candidates[name] = (header.strip(),) if header.strip() else ()
        named = frozenset(name for name, header in columns.items() if header.strip())
        return cls(candidates, named)

    def locate(self, header: Sequence[str]) -> dict[str, int]:
        """Field → index of its column in ``header``; raises naming what the file lacks."""
        positions: dict[str, int] = {}
        for index, name in enumerate(header):
            positions.setdefault(_header_key(name), index)
        found: dict[str, int] = {}
        for name, headers in self.candidates.items():
            located = [positions[key] for c in headers if (key := _header_key(c)) in positions]
            if located:
                found[name] = located[0]
        missing = [name for name in (*REQUIRED_FIELDS, *sorted(self.named)) if name not in found]
        if not any(name in found for name in AMOUNT_FIELDS):
            missing.append(" or ".join(AMOUNT_FIELDS))
        if missing:
            wanted = "; ".join(
                f"{name} ({' / '.join(map(repr, self.candidates.get(name, ())))})"
                if name in self.candidates
                else name
                for name in dict.fromkeys(missing)
            )
            raise RecordError(f"no column for {wanted}; the header has {list(header)}")
        return found
