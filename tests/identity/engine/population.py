"""Small random populations with duplicates, drawn from tight pools so that keys collide."""

from __future__ import annotations

import random

from hub.identity.model import NormalisedPerson
from tests.identity.engine.people import person

FIRST = ["jean", "marie", "pierre", "anne", "luc", "julie", "paul", "lea", "hugo", "emma"]
LAST = ["martin", "bernard", "dubois", "durand", "petit", "moreau", "laurent", "simon"]
CITIES = [("75011", "paris"), ("69003", "lyon"), ("13001", "marseille"), ("31000", "toulouse")]


def typo(value: str, rng: random.Random) -> str:
    at = rng.randrange(len(value))
    return value[:at] + value[at + 1 :] if len(value) > 3 else value + "e"


def population(
    seed: int, people: int, copies: int = 3
) -> tuple[list[NormalisedPerson], dict[int, int]]:
    """Records of ``people`` persons, each seen up to ``copies`` times; record id → person."""
    rng = random.Random(seed)
    records: list[NormalisedPerson] = []
    truth: dict[int, int] = {}
    for who in range(people):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        postcode, city = rng.choice(CITIES)
        born = f"{rng.randint(1940, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        email = f"{first}.{last}{rng.randint(1, 99)}@mail.fr"
        mobile = f"+336{rng.randint(10_000_000, 99_999_999)}"
        for _ in range(rng.randint(1, copies)):
            record_id = len(records) + 1
            records.append(
                person(
                    record_id,
                    typo(first, rng) if rng.random() < 0.15 else first,
                    typo(last, rng) if rng.random() < 0.15 else last,
                    born if rng.random() < 0.7 else None,
                    emails=(email,) if rng.random() < 0.5 else (),
                    phones=(mobile,) if rng.random() < 0.4 else (),
                    postcode=postcode if rng.random() < 0.8 else None,
                    city=city,
                    street=f"rue {rng.choice(LAST)}" if rng.random() < 0.3 else None,
                )
            )
            truth[record_id] = who
    return records, truth
