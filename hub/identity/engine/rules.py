"""Deterministic rules: identifiers that settle a pair when the names do not contradict them.

A shared e-mail, mobile phone, loyalty card or national id is strong evidence, but couples share
e-mails and families share cards, so each rule also asks that the names be compatible, and no
rule applies across a conflict (another birth date, another first name). Identifiers held by too
many source identities never reach these rules: they were marked shared and compare as missing.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from hub.identity.engine.comparisons import FIELD_INDEX, NO_CONFLICT, Compared

RULES = ("national_id", "email", "loyalty_card", "phone")

_FIRST, _LAST = FIELD_INDEX["first_name"], FIELD_INDEX["last_name"]
_MISSING, _DIFFERENT, _INITIAL, _SIMILAR = 0, 1, 2, 3


def rule_of(compared: Compared) -> npt.NDArray[np.int8]:
    """Index into :data:`RULES` of the first rule each pair meets, or -1."""
    levels = compared.levels
    first, last = levels[:, _FIRST], levels[:, _LAST]
    calm = compared.conflict == NO_CONFLICT
    first_not_against = first != _DIFFERENT
    last_agrees = (last == _MISSING) | (last >= _SIMILAR)
    names_agree = (first >= _INITIAL) & (last >= _SIMILAR)
    dob = levels[:, FIELD_INDEX["birth_date"]]
    met = (
        (levels[:, FIELD_INDEX["national_id"]] == 3)
        & ((dob == 0) | (dob == 3))
        & ((first >= _SIMILAR) | (last >= _SIMILAR)),
        (levels[:, FIELD_INDEX["email"]] == 3) & first_not_against,
        (levels[:, FIELD_INDEX["loyalty_card"]] == 2) & first_not_against & last_agrees,
        (levels[:, FIELD_INDEX["phone"]] == 3) & names_agree,
    )
    rule = np.full(len(levels), -1, dtype=np.int8)
    for index, hit in enumerate(met):
        rule = np.where((rule < 0) & hit & calm, index, rule).astype(np.int8)
    return rule


def corroborated(compared: Compared) -> npt.NDArray[np.bool_]:
    """Pairs that agree on something of the person's own: names and a household never merge.

    Two "Jean Martin" records in Paris with nothing else in common may be two people; so may a
    parent and a child of one name at one address with one landline. A birth date, an e-mail,
    a mobile phone, a national id or a loyalty card has to back them before a score may merge.
    E-mails that are merely alike do not count: addresses are made of names, so
    stefan.fischer12@ and stefan.fischer47@ only repeat that the names agree.
    """
    levels = compared.levels
    backed: npt.NDArray[np.bool_] = (
        (levels[:, FIELD_INDEX["birth_date"]] >= 2)
        | (levels[:, FIELD_INDEX["email"]] == 3)
        | (levels[:, FIELD_INDEX["phone"]] == 3)
        | (levels[:, FIELD_INDEX["national_id"]] >= 2)
        | (levels[:, FIELD_INDEX["loyalty_card"]] >= 2)
    )
    return backed
