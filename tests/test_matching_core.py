"""The core engine on plain data: each criterion kind, hard filters, explanations."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from mentornet.matching import Criterion, Pool, Profile, rank, score_matrix
from mentornet.matching.assignment import assign, greedy_assign, values_from
from mentornet.matching.explain import explain


def one(criterion: Criterion, mentee: Profile, *mentors: Profile) -> list[float]:
    pool = Pool([mentee], list(mentors), [criterion])
    return [float(x) for x in pool.similarities([0])[0, 0]]


def test_the_core_imports_neither_flask_nor_the_database():
    code = (
        "import sys, mentornet.matching, mentornet.matching.explain; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('flask', 'flask_sqlalchemy', 'sqlalchemy', 'werkzeug')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_taxonomy_the_deeper_the_shared_level_the_higher():
    c = Criterion("p", "profession", "taxonomy", 1)
    nurse = Profile(1, profession="2221")
    sims = one(
        c,
        nurse,
        Profile(2, profession="2221"),
        Profile(3, profession="2222"),
        Profile(4, profession="2211"),
        Profile(5, profession="2512"),
        Profile(6, profession="5321"),
        Profile(7),
    )
    assert sims == [1.0, 0.75, 0.5, 0.25, 0.0, 0.0]


def test_same_ordinal_overlap_and_text():
    office = Criterion("o", "office", "same", 1)
    assert one(
        office, Profile(1, office="a"), Profile(2, office="a"), Profile(3, office="b"), Profile(4)
    ) == [1.0, 0.0, 0.0]
    education = Criterion("e", "education_level", "ordinal", 1)
    assert one(
        education,
        Profile(1, education_level=6),
        Profile(2, education_level=6),
        Profile(3, education_level=2),
        Profile(4),
    ) == [1.0, 0.5, 0.0]
    goals = Criterion("g", "goals", "overlap", 1)
    needs = Profile(1, goals=("job",))  # job search, cv, interview practice, network
    sims = one(
        goals, needs, Profile(2, helps_with=("cv", "network")), Profile(3, helps_with=("language",))
    )
    assert sims == [0.5, 0.0]
    story = Criterion("s", "story", "text", 1)
    text_sims = one(
        story,
        Profile(1, text="sygeplejerske på hospital, børn"),
        Profile(2, text="Jeg er sygeplejerske på et hospital"),
        Profile(3, text="ingeniør i byggebranchen"),
        Profile(4, text=""),
    )
    assert text_sims[0] > text_sims[1] >= 0 and text_sims[2] == 0.0
    arabic = one(
        story,
        Profile(1, text="ممرضة في مستشفى"),
        Profile(2, text="أعمل ممرضة في مستشفى"),
        Profile(3, text="مهندسة برمجيات"),
    )
    assert arabic[0] > arabic[1]  # language-independent: works on Arabic too


def test_score_is_the_weighted_mean_and_hard_criteria_filter():
    criteria = [
        Criterion("p", "profession", "taxonomy", 3),
        Criterion("o", "office", "same", 1, hard=True),
    ]
    mentee = Profile(1, profession="2221", office="cph")
    mentors = [
        Profile(10, profession="2221", office="cph"),
        Profile(11, profession="2222", office="cph"),
        Profile(12, profession="2221", office="odense"),
    ]
    pool = Pool([mentee], mentors, criteria)
    ranked = rank(pool, 0, limit=5)
    assert [r.mentor_index for r in ranked] == [0, 1]  # odense is filtered out
    assert ranked[0].score == pytest.approx(1.0)
    assert ranked[1].score == pytest.approx((3 * 0.75 + 1) / 4)


def test_no_free_capacity_and_exclusion_filter():
    pool = Pool(
        [Profile(1, office="a")],
        [Profile(2, office="a", free_capacity=0), Profile(3, office="a"), Profile(4, office="a")],
        [Criterion("o", "office", "same", 1)],
    )
    assert [r.mentor_index for r in rank(pool, 0, excluded=[2])] == [1]


def test_explanations_add_up_to_the_score():
    criteria = [
        Criterion("p", "profession", "taxonomy", 3),
        Criterion("g", "goals", "overlap", 2),
        Criterion("l", "languages", "overlap", 1, hard=True),
    ]
    mentee = Profile(1, profession="2221", goals=("language", "network"), languages=("ar", "da"))
    mentor = Profile(2, profession="2221", helps_with=("network",), languages=("da",))
    pool = Pool([mentee], [mentor], criteria)
    reasons = explain(pool, 0, 0)
    assert sum(r.share for r in reasons) == pytest.approx(rank(pool, 0)[0].score)
    by_key = {r.key: r for r in reasons}
    assert by_key["p"].facts == {"mentee": "2221", "mentor": "2221", "depth": 4, "shared": "2221"}
    assert by_key["g"].facts == {"shared": ["network"], "missing": ["language"]}
    assert by_key["l"].facts["shared"] == ["da"] and by_key["l"].hard


def test_batch_is_optimal_where_greedy_is_not():
    # Greedy takes the single best pair (0,0) and leaves mentee 1 with little.
    values = np.array([[0.9, 0.8], [0.85, 0.1]], dtype=np.float32)
    capacity = np.array([1, 1])
    assert greedy_assign(values, capacity).total == pytest.approx(1.0)
    best = assign(values, capacity)
    assert best.pairs == [(0, 1), (1, 0)] and best.total == pytest.approx(1.65)


def test_min_score_and_waiting_bonus():
    scores = np.array([[0.5, 0.2], [0.45, 0.25]], dtype=np.float32)
    allowed = np.ones_like(scores, dtype=bool)
    capacity = np.array([1, 1])
    plain = assign(values_from(scores, allowed, min_score=0.3), capacity)
    assert plain.pairs == [(0, 0)]  # nobody gets a pair below the minimum
    # One place, two mentees: the bonus lets the one who has waited longest have it.
    one_place = np.array([1, 0])
    assert assign(values_from(scores, allowed), one_place).pairs == [(0, 0)]
    favoured = assign(values_from(scores, allowed, 0.0, bonus=np.array([0.0, 0.2])), one_place)
    assert favoured.pairs == [(1, 0)]


def test_score_matrix_matches_ranking():
    rng = np.random.default_rng(3)
    codes = ["2221", "2222", "2512", "5120", "3221"]
    mentees = [Profile(i, profession=codes[rng.integers(5)], office="a") for i in range(6)]
    mentors = [Profile(100 + j, profession=codes[rng.integers(5)], office="a") for j in range(7)]
    pool = Pool(mentees, mentors, [Criterion("p", "profession", "taxonomy", 1)])
    scores, _allowed = score_matrix(pool)
    for i in range(6):
        for r in rank(pool, i, limit=7):
            assert scores[i, r.mentor_index] == pytest.approx(r.score)
