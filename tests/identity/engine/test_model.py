"""The match model: estimated from the data, saved and read back, weighing rare values more."""

from __future__ import annotations

import json

import numpy as np
import pytest

from hub.identity.engine import EngineSettings, MatchModel, resolve_batch
from hub.identity.engine.columns import build_columns
from hub.identity.engine.comparisons import FIELD_INDEX, compare
from hub.identity.engine.match_model import configured_model
from tests.identity.engine.people import person
from tests.identity.engine.population import population


def precision_recall(clusters: list[tuple[int, ...]], truth: dict[int, int]) -> tuple[float, float]:
    found = {(a, b) for c in clusters for i, a in enumerate(c) for b in c[i + 1 :]}
    true = {(a, b) for a in truth for b in truth if a < b and truth[a] == truth[b]}
    hits = len(found & true)
    return hits / max(len(found), 1), hits / max(len(true), 1)


def test_em_learns_that_matches_agree_and_strangers_do_not() -> None:
    people, truth = population(11, 900)
    result = resolve_batch(people, settings=EngineSettings(min_records_to_estimate=100))
    model = result.model
    for field in ("first_name", "last_name", "birth_date", "email"):
        same = len(model.m[field]) - 1
        assert model.m[field][same] > 5 * model.u[field][same], field
        assert model.weight(field, 1) < 0 < model.weight(field, same), field
    assert 0.0 < model.prior < 1.0
    # Eight surnames and ten first names: many strangers share a full name, and a third of
    # one person's records carry nothing but the name and the town, which never merges alone.
    precision, recall = precision_recall(result.resolution.clusters, truth)
    assert precision > 0.97
    assert recall > 0.5


def test_a_saved_model_reads_back_the_same() -> None:
    people, _ = population(5, 900)
    model = resolve_batch(people, settings=EngineSettings(min_records_to_estimate=100)).model
    copy = MatchModel.from_json(json.loads(json.dumps(model.to_json())))
    assert copy == model


def test_a_model_saved_with_other_levels_is_refused() -> None:
    document = configured_model().to_json()
    document["levels"]["birth_date"] = ["missing", "same"]
    with pytest.raises(ValueError, match="run a full resolution"):
        MatchModel.from_json(document)


def test_agreement_on_a_rare_surname_weighs_more_than_on_a_common_one() -> None:
    model = configured_model()
    model.frequencies = {"last_name": {"martin": 0.02}}
    people = [
        person(1, "jo", "martin"),
        person(2, "jo", "martin"),
        person(3, "jo", "przybyszewski"),
        person(4, "jo", "przybyszewski"),
    ]
    columns = build_columns(people)
    compared = compare(columns, np.array([0, 2]), np.array([1, 3]), {})
    weights = model.field_weights(columns, compared)[:, FIELD_INDEX["last_name"]]
    assert weights[1] > weights[0] + 5
