"""Normalising many records at once: in worker processes, the same people as one by one."""

from __future__ import annotations

from hub.identity.model import PersonRecord
from hub.identity.normalise import normalise_person
from hub.identity.normalising import Normaliser, normalise_all


def records(count: int, start: int = 0) -> list[PersonRecord]:
    """Varied records: some clean, some with findings, some needing the default region."""
    made = []
    for i in range(start, start + count):
        made.append(
            PersonRecord(
                record_id=i,
                source="shop",
                first_name=("Amélie", "Inconnu", "Bob", None)[i % 4],
                last_name=f"Durand-{i % 7}" if i % 5 else "12345",
                birth_date=("1980-02-14", "31/02/1980", None)[i % 3],
                emails=(f"amelie.{i}@example.fr", "test@test.com")[: 1 + i % 2],
                phones=(f"06 12 34 {i % 100:02d} {i % 89:02d}", "0000000000")[: 1 + i % 2],
                street=f"{i % 40} rue Victor Hugo" if i % 6 else "xxx",
                postcode="75011" if i % 2 else None,
                city="Paris",
                country="FR" if i % 3 else None,
                loyalty_cards=(f"LC{i:06d}",) if i % 4 == 1 else (),
                references=(f"shop:{i // 3}",),
            )
        )
    return made


def test_workers_give_the_people_normalise_person_gives_in_input_order() -> None:
    batch = records(300)
    one_by_one = [normalise_person(r, default_region="FR") for r in batch]
    with Normaliser(len(batch), default_region="FR", parallel_from=1, workers=2) as normaliser:
        normaliser._chunk = 40  # several tasks per worker, so order has to be restored
        normaliser.add(batch[:130])
        normaliser.add(batch[130:])
        people = normaliser.people()
    assert people == one_by_one
    assert any(p.findings for p in people)  # findings cross the process boundary too


def test_small_batches_stay_in_this_process() -> None:
    batch = records(20, start=1000)
    with Normaliser(len(batch)) as normaliser:
        assert normaliser._pool is None
        normaliser.add(batch)
        assert normaliser.people() == [normalise_person(r) for r in batch]
    assert normalise_all(iter(batch)) == [normalise_person(r) for r in batch]
