"""Who must never be merged, whatever else agrees: the traps of real customer data."""

from __future__ import annotations

from hub.identity.engine import EngineSettings, resolve_batch
from hub.identity.engine.match_model import configured_model
from hub.identity.model import Constraints, FindingKind, NormalisedPerson
from tests.identity.engine.people import home, person


def clusters(people: list[NormalisedPerson], **settings: object) -> list[tuple[int, ...]]:
    result = resolve_batch(
        people,
        model=configured_model(),
        settings=EngineSettings(**settings),  # type: ignore[arg-type]
    )
    return result.resolution.clusters


def test_twins_sharing_surname_birth_date_address_and_landline_stay_apart() -> None:
    twins = [
        home(1, "thomas", "dupont", "1990-03-14", emails=("thomas.dupont@gmail.com",)),
        home(2, "nicolas", "dupont", "1990-03-14", emails=("nico.dupont@orange.fr",)),
    ]
    assert clusters(twins) == [(1,), (2,)]


def test_parent_and_child_with_one_name_and_address_stay_apart() -> None:
    family = [home(1, "jean", "dupont", "1958-06-01"), home(2, "jean", "dupont", "1988-06-01")]
    assert clusters(family) == [(1,), (2,)]


def test_couple_sharing_an_email_stays_apart() -> None:
    couple = [
        home(1, "marie", "dupont", None, emails=("famille.dupont@free.fr",)),
        home(2, "pierre", "dupont", None, emails=("famille.dupont@free.fr",)),
    ]
    resolution = resolve_batch(couple, model=configured_model()).resolution
    assert resolution.clusters == [(1,), (2,)]
    assert resolution.review == []  # a conflict on first names is settled, not a question


def test_one_person_across_sources_is_one_cluster_with_evidence() -> None:
    shop = person(1, "catherine", "martin", "1975-02-11", emails=("cathy.martin@gmail.com",))
    crm = person(2, "cathy", "martin", None, root="catherine", emails=("cathy.martin@gmail.com",))
    till = person(3, "c", "martin", None, cards=("FR123456",), postcode="75011")
    loyalty = person(4, "catherine", "martin", "1975-02-11", cards=("FR123456",))
    resolution = resolve_batch([shop, crm, till, loyalty], model=configured_model()).resolution
    assert resolution.clusters == [(1, 2, 3, 4)]
    rules = {(link.left, link.right): link.rule for link in resolution.links}
    assert rules[(1, 2)] == "email"
    assert rules[(3, 4)] == "loyalty_card"
    email_link = next(link for link in resolution.links if link.rule == "email")
    compared = {f.field: f for f in email_link.fields}
    assert compared["email"].level == "same" and compared["email"].weight > 0
    assert compared["first_name"].level == "close"  # cathy is a nickname of catherine


def test_a_chain_never_joins_people_its_ends_contradict() -> None:
    # 2 shares an e-mail with 1 and a mobile with 3, but 1 and 3 were born 30 years apart.
    people = [
        person(1, "alex", "bernard", "1960-01-01", emails=("a.bernard@gmail.com",)),
        person(
            2, "alex", "bernard", None, emails=("a.bernard@gmail.com",), phones=("+33612345678",)
        ),
        person(3, "alex", "bernard", "1990-01-01", phones=("+33612345678",)),
    ]
    found = clusters(people)
    assert (1, 2, 3) not in found
    assert sorted(len(c) for c in found) == [1, 2]


def test_a_junk_email_on_many_people_is_a_shared_finding_and_merges_nobody() -> None:
    people = [
        person(i, first, "lopez", None, emails=("test@test.com",), city=city)
        for i, (first, city) in enumerate(
            [
                ("ana", "madrid"),
                ("luis", "sevilla"),
                ("eva", "bilbao"),
                ("raul", "vigo"),
                ("sara", "leon"),
                ("ivan", "cadiz"),
                ("rosa", "soria"),
                ("juan", "lugo"),
            ],
            start=1,
        )
    ]
    resolution = resolve_batch(people, model=configured_model()).resolution
    assert all(len(c) == 1 for c in resolution.clusters)
    shared = [f for f in resolution.findings if f.kind is FindingKind.SHARED]
    assert sorted(f.record_id for f in shared) == list(range(1, 9))
    assert {f.field for f in shared} == {"email"}


def test_names_alone_never_merge_but_are_asked_about() -> None:
    people = [
        person(1, "zofia", "przybyszewska", city="krakow"),
        person(2, "zofia", "przybyszewska", city="krakow"),
    ]
    resolution = resolve_batch(people, model=configured_model()).resolution
    assert resolution.clusters == [(1,), (2,)]
    assert [(r.left, r.right) for r in resolution.review] == [(1, 2)]


def test_cluster_size_is_capped_in_source_identities_not_records() -> None:
    # Ten records of one customer (the customer and nine orders carrying its id) count once.
    customer = [
        person(1, "li", "wang", "1980-01-01", emails=("li.wang@qq.com",), references=("shop:1",))
    ]
    orders = [person(i, "li", "wang", None, references=("shop:1",)) for i in range(2, 11)]
    others = [
        person(20 + i, "li", "wang", "1980-01-01", emails=("li.wang@qq.com",)) for i in range(3)
    ]
    found = clusters(customer + orders + others, max_cluster_size=3)
    biggest = max(found, key=len)
    assert set(range(1, 11)) <= set(biggest)
    assert len(biggest) == 12  # the customer's identity plus two more, then the cap


def test_agents_decisions_win_over_scores() -> None:
    same = [
        person(1, "ines", "costa", "1991-09-09", emails=("ines@costa.pt",)),
        person(2, "ines", "costa", "1991-09-09", emails=("ines@costa.pt",)),
    ]
    strangers = [
        person(3, "bruno", "rossi", "1970-01-01"),
        person(4, "carla", "neri", "1980-01-01"),
    ]
    constraints = Constraints(must_link=frozenset({(3, 4)}), cannot_link=frozenset({(1, 2)}))
    resolution = resolve_batch(
        same + strangers, model=configured_model(), constraints=constraints
    ).resolution
    assert resolution.clusters == [(1,), (2,), (3, 4)]
    assert [link.rule for link in resolution.links] == ["manual"]
