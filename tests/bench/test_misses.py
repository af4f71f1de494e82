"""The miss analysis names the step that kept two records apart, or the link that joined them."""

from __future__ import annotations

from bench.identity.diagnosis import BELOW, BLOCKED, LINKED, NO_EVIDENCE, TORN, Diagnoser
from bench.identity.misses import explain_misses, missed_parts
from hub.identity.engine import EngineSettings
from hub.identity.engine.match_model import configured_model
from hub.identity.engine.resolve import run
from hub.identity.model import Constraints
from tests.identity.engine.people import home, person

PEOPLE = [
    home(1, "thomas", "dupont", "1990-03-14"),
    home(2, "nicolas", "dupont", "1990-03-14"),
    home(3, None, "dupont", "1990-03-14"),  # type: ignore[arg-type]
    person(4, "zofia", "przybyszewska", city="krakow"),
    person(5, "zofia", "przybyszewska", city="krakow"),
    person(6, "ines", "costa", "1991-09-09", emails=("ines@costa.pt",)),
    person(7, "ines", "costa", None, emails=("ines@costa.pt",)),
    person(8, "maud", "leclerc", "1966-05-30"),
    person(9, "simone", "arnaud", None, city="brest"),
    person(10, "j", "martin", None, city="paris"),
    person(11, "jean", "martin", None, city="lyon"),
]


def diagnoser() -> tuple[Diagnoser, list[tuple[int, ...]]]:
    settings = EngineSettings()
    result = run(
        PEOPLE, settings=settings, constraints=Constraints(), model=configured_model(),
        keep_trace=True,
    )  # fmt: skip
    assert result.trace is not None
    return Diagnoser(result.trace, settings), result.resolution.clusters


def test_each_pair_gets_the_step_that_decided_it() -> None:
    found = {
        (d.left, d.right): d
        for d in diagnoser()[0].pairs([(1, 2), (1, 3), (4, 5), (6, 7), (8, 9), (10, 11)])
    }
    assert found[(1, 2)].reason == "conflict first_name"  # twins
    assert found[(1, 3)].reason == TORN
    assert found[(4, 5)].reason == NO_EVIDENCE  # a rare name weighs enough, but alone
    assert found[(10, 11)].reason == BELOW
    assert found[(6, 7)].reason == LINKED and found[(6, 7)].rule == "email"
    assert found[(8, 9)].reason == BLOCKED and found[(8, 9)].shared_keys == ()


def test_a_diagnosis_shows_each_field_and_the_keys_both_hold() -> None:
    twins = diagnoser()[0].pairs([(1, 2)])[0]
    fields = {f.field: f for f in twins.fields}
    assert fields["first_name"].level == "different" and fields["first_name"].weight < 0
    assert (fields["first_name"].left, fields["first_name"].right) == ("thomas", "nicolas")
    assert any(key.startswith("dp:19900314|69003") for key in twins.shared_keys)


def test_misses_are_the_pairs_of_parts_of_one_entity_left_apart() -> None:
    clusters = [(1, 2), (3,), (4,), (5, 6)]
    truth = {1: "a", 2: "b", 3: "a", 4: "a", 5: "c", 6: "c"}
    assert list(missed_parts(clusters, truth)) == [([1], [3]), ([1], [4]), ([3], [4])]


def test_each_miss_is_explained_by_its_closest_pair_and_costs_its_pairs() -> None:
    tool, clusters = diagnoser()
    truth = {record.record_id: str(record.record_id) for record in PEOPLE}
    truth[5] = truth[4]  # the two Zofias are one person the run left apart
    truth[9] = truth[8]
    misses = {
        (d.left, d.right): (d.reason, cost) for d, cost in explain_misses(tool, clusters, truth)
    }
    assert misses == {(4, 5): (NO_EVIDENCE, 1), (8, 9): (BLOCKED, 1)}
