"""Identifiers held by more people than one person plausibly is: a family e-mail, a guest card.

Holders are counted in *people*, not records. A till writes one record per receipt, and a
receipt names its buyer only by the loyalty card (and the name the card was issued to), so a
customer with ten receipts on her card is ten source identities holding it: counted as records,
her own card would look like a store's guest card and be ignored. What tells a card of many
people from a card of one is that its holders disagree on who they are: each distinct name
among them is one person's evidence. Holders without any name say nothing about whose card it
is and count for nobody, except when no holder has a name at all: then nobody vouches for the
card, and its records are counted as they are (precision first: an unnamed card on many
receipts may as well be a till's guest card).

Names are counted only for keys whose holders are all in the run (an incremental run loads
every holder of its new records' keys up to the block cap, not of every key it touches), so
that a full run and an incremental one decide alike; otherwise the record count stands.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from hub.identity.engine.columns import Columns
from hub.identity.engine.keys import IDENTIFIER_PREFIXES
from hub.identity.engine.preparation import Prepared
from hub.identity.engine.settings import EngineSettings

_COLUMN_OF_FIELD = {
    "email": "email0",
    "phone": "phone0",
    "loyalty_card": "card0",
    "national_id": "natid",
}


def named_people(prepared: Prepared, codes: list[int]) -> dict[int, int]:
    """Per key code, how many distinct names its holders carry (first name by its nickname
    root, with the surname); a holder without a name adds none."""
    if not codes:
        return {}
    wanted = np.isin(prepared.member_key, np.array(codes, np.int64))
    names: dict[int, set[tuple[str | None, str | None]]] = {code: set() for code in codes}
    rows = prepared.member_row[wanted].tolist()
    for code, row in zip(prepared.member_key[wanted].tolist(), rows, strict=True):
        rep = prepared.reps[row]
        if rep.first_name or rep.last_name:
            names[code].add((rep.first_name_root or rep.first_name, rep.last_name))
    return {code: len(found) for code, found in names.items()}


def shared_codes(
    prepared: Prepared,
    columns: Columns,
    holders: npt.NDArray[np.int64],
    present: npt.NDArray[np.int64],
    settings: EngineSettings,
) -> tuple[dict[str, set[int]], list[int]]:
    """Identifier values held by more people than one person plausibly is: per field their
    column codes, and the codes of their keys. ``holders`` counts the source identities
    holding each key in the whole base, ``present`` those of this run."""
    over: list[tuple[int, str]] = []
    for code in np.flatnonzero(holders > settings.shared_cap).tolist():
        key = prepared.key_names[code]
        field = IDENTIFIER_PREFIXES.get(key[:1]) if key[1:2] == ":" else None
        if field is not None:
            over.append((code, field))
    whole = [c for c, _ in over if holders[c] <= settings.block_cap and present[c] == holders[c]]
    people = named_people(prepared, whole)
    shared: dict[str, set[int]] = {}
    keys: list[int] = []
    for code, field in over:
        if 0 < people.get(code, 0) <= settings.shared_cap:
            continue  # many records, few people: one person's repeated receipts
        value = columns.vocabulary(_COLUMN_OF_FIELD[field])._codes.get(prepared.key_names[code][2:])
        if value is not None:
            shared.setdefault(field, set()).add(value)
            keys.append(code)
    return shared, keys
