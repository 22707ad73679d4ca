"""Properties of the matching core, checked on random small pools with Hypothesis.

Scores stay in 0..1, the order of mentors changes nothing, a heavier criterion never
pushes down the mentor who is best on it, assignments respect every hard filter and
capacity, and the batch optimum is really optimal: never below greedy, equal to brute
force on instances small enough to enumerate, on the dense and on the sparse path.
"""

from __future__ import annotations

import functools
import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentornet.matching import assignment
from mentornet.matching.assignment import assign, greedy_assign, values_from
from mentornet.matching.profiles import BUSINESS_STAGES, GOAL_HELP, Criterion, Profile
from mentornet.matching.scoring import Pool, rank, score_matrix
from mentornet.tenancy.settings_schema import CRITERION_FIELDS

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
TOLERANCE = 1e-6  # scores and similarities
TOTAL_TOLERANCE = 1e-4  # assignment totals (the sparse solver rounds to 1e-5 a pair)

# --- random profiles and criteria ---------------------------------------------------------

HELP_ITEMS = sorted({item for items in GOAL_HELP.values() for item in items})
DANISH_LEVELS = ("beginner", "everyday", "fluent", "first_language")
WORDS = ("nurse", "engineer", "hospital", "software", "arbejde", "børn", "café", "job", "cv")

# Every field/kind pair the tenant settings accept, plus intake answers (same, overlap and
# ordinal, with and without a scale of choices).
TEMPLATES: list[tuple[str, str, tuple[str, ...]]] = [
    (field, kind, ()) for field, kinds in CRITERION_FIELDS.items() for kind in kinds
] + [
    ("intake.danish_level", "same", ()),
    ("intake.danish_level", "overlap", ()),
    ("intake.danish_level", "ordinal", DANISH_LEVELS),
    ("intake.years", "ordinal", ()),
    ("intake.has_children", "same", ()),
]

maybe_empty = st.sampled_from([None, ""])
professions = st.one_of(
    maybe_empty, st.sampled_from(["2211", "2212", "2221", "2310", "3211", "5321", "0110", "22"])
)
# ISCED-F 2013 broad fields, as the forms store them.
education_fields = st.one_of(maybe_empty, st.sampled_from(["00", "04", "06", "09", "10"]))


def small_sets(items, max_size: int = 3):
    return st.lists(st.sampled_from(list(items)), max_size=max_size).map(tuple)


@st.composite
def intake_answers(draw) -> dict:
    answers: dict = {}
    if draw(st.booleans()):
        answers["danish_level"] = draw(st.sampled_from([*DANISH_LEVELS, "", "unknown"]))
    if draw(st.booleans()):
        answers["years"] = draw(st.one_of(st.integers(0, 40), st.just("")))
    if draw(st.booleans()):
        answers["has_children"] = draw(st.booleans())
    return answers


@st.composite
def profiles(draw, person_id: int, mentor: bool) -> Profile:
    return Profile(
        id=person_id,
        office=draw(st.one_of(maybe_empty, st.sampled_from(["copenhagen", "odense"]))),
        languages=draw(small_sets(["da", "en", "ar", "uk"])),
        profession=draw(professions),
        education_level=draw(st.one_of(st.none(), st.integers(0, 8))),
        education_field=draw(education_fields),
        interests=draw(small_sets(["children", "music", "hiking", "cooking"])),
        sector=draw(st.one_of(maybe_empty, st.sampled_from(["health", "it", "retail"]))),
        business_stage=draw(st.one_of(maybe_empty, st.sampled_from([*BUSINESS_STAGES, "x"]))),
        goals=() if mentor else draw(small_sets(GOAL_HELP)),
        helps_with=draw(small_sets(HELP_ITEMS, 4)) if mentor else (),
        text=" ".join(draw(st.lists(st.sampled_from(WORDS), max_size=6))),
        intake=draw(intake_answers()),
        free_capacity=draw(st.integers(0, 2)) if mentor else 1,
        days_waiting=0 if mentor else draw(st.integers(0, 400)),
    )


weights = st.one_of(
    st.just(0.0), st.sampled_from([0.5, 1.0, 5.0, 10.0, 30.0, 100.0]), st.floats(0, 100)
)


@st.composite
def criteria_lists(draw) -> list[Criterion]:
    chosen = draw(st.lists(st.sampled_from(TEMPLATES), min_size=1, max_size=5))
    criteria = [
        Criterion(
            key=f"c{i}",
            field=field,
            kind=kind,
            weight=draw(weights),
            hard=draw(st.integers(0, 3)) == 0,
            scale=scale,
        )
        for i, (field, kind, scale) in enumerate(chosen)
    ]
    # As the tenant settings require: at least one criterion counts.
    if not any(c.weight > 0 for c in criteria):
        criteria[0] = replace(criteria[0], weight=draw(st.floats(0.5, 100)))
    return criteria


@st.composite
def pools(draw, max_mentees: int = 8, max_mentors: int = 8):
    n = draw(st.integers(1, max_mentees))
    m = draw(st.integers(1, max_mentors))
    mentees = [draw(profiles(i, mentor=False)) for i in range(n)]
    mentors = [draw(profiles(1000 + j, mentor=True)) for j in range(m)]
    return mentees, mentors, draw(criteria_lists())


def full_ranking(pool: Pool, mentee: int):
    return rank(pool, mentee, limit=len(pool.mentors))


# --- brute force --------------------------------------------------------------------------


def brute_force(values: np.ndarray, capacity) -> float:
    """The best total over every assignment (each mentee to one mentor or to none)."""
    n, m = values.shape

    @functools.cache
    def best(i: int, left: tuple[int, ...]) -> float:
        if i == n:
            return 0.0
        result = best(i + 1, left)
        for j in range(m):
            if left[j] > 0 and not math.isnan(values[i, j]):
                rest = (*left[:j], left[j] - 1, *left[j + 1 :])
                result = max(result, float(values[i, j]) + best(i + 1, rest))
        return result

    return best(0, tuple(int(c) for c in capacity))


def check_assignment(result, values: np.ndarray, capacity) -> None:
    """Only allowed pairs, each mentee at most once, each mentor within her capacity."""
    mentees = [i for i, _ in result.pairs]
    assert len(mentees) == len(set(mentees))
    load = np.bincount([j for _, j in result.pairs], minlength=values.shape[1])
    assert (load <= np.asarray(capacity)).all()
    for i, j in result.pairs:
        assert not math.isnan(values[i, j])
    assert result.total == pytest.approx(sum(float(values[i, j]) for i, j in result.pairs))


def sparse(values: np.ndarray, capacity, k: int = 2):
    """assign() forced onto the sparse path, with few initial candidates per row."""
    capacity = np.asarray(capacity, dtype=np.int64).clip(min=0)
    if capacity.sum() == 0 or np.isnan(values).all():
        return assign(values, capacity)  # what assign() answers before any solver
    return assignment._sparse(values, capacity, k)


# --- scores -------------------------------------------------------------------------------


@SETTINGS
@given(pools())
def test_scores_and_similarities_are_between_0_and_1(case) -> None:
    pool = Pool(*case)
    scores, allowed = score_matrix(pool)
    assert scores.shape == allowed.shape == (len(pool.mentees), len(pool.mentors))
    assert ((scores >= 0) & (scores <= 1)).all(), scores
    similarities = pool.similarities(np.arange(len(pool.mentees)))
    assert ((similarities >= 0) & (similarities <= 1)).all(), similarities
    # Allowed: a free place and something in common on every hard criterion, nothing else.
    hard = [k for k, c in enumerate(pool.criteria) if c.hard]
    expected = (similarities[hard] > 0).all(axis=0) & (pool.capacity > 0)[None, :]
    assert (allowed == expected).all()
    for i in range(len(pool.mentees)):
        ranking = full_ranking(pool, i)
        assert sorted(r.mentor_index for r in ranking) == list(np.flatnonzero(allowed[i]))
        for ranked in ranking:
            assert 0 <= ranked.score <= 1
            assert all(0 <= s <= 1 for s in ranked.similarities)
            assert ranked.score == pytest.approx(float(scores[i, ranked.mentor_index]), abs=1e-6)


# --- the order of mentors -----------------------------------------------------------------


@SETTINGS
@given(pools(), st.data())
def test_mentor_order_changes_nothing(case, data) -> None:
    mentees, mentors, criteria = case
    order = data.draw(st.permutations(range(len(mentors))))
    pool = Pool(mentees, mentors, criteria)
    shuffled = Pool(mentees, [mentors[j] for j in order], criteria)

    for i in range(len(mentees)):
        before = full_ranking(pool, i)
        after = full_ranking(shuffled, i)
        by_id = {mentors[r.mentor_index].id: r for r in before}
        by_id_after = {shuffled.mentors[r.mentor_index].id: r for r in after}
        assert by_id.keys() == by_id_after.keys()
        for person_id, ranked in by_id.items():
            other = by_id_after[person_id]
            assert other.score == pytest.approx(ranked.score, abs=TOLERANCE)
            assert other.similarities == pytest.approx(ranked.similarities, abs=TOLERANCE)
        # Best first in both, so the scores come in the same order.
        assert [r.score for r in after] == pytest.approx([r.score for r in before], abs=TOLERANCE)
        # A shorter list: the same scores, and the same mentors above the last one's score.
        limit = 3
        top = rank(pool, i, limit=limit)
        top_after = rank(shuffled, i, limit=limit)
        assert [r.score for r in top_after] == pytest.approx([r.score for r in top], abs=TOLERANCE)
        if top:
            cut = top[-1].score + TOLERANCE
            assert {mentors[r.mentor_index].id for r in top if r.score > cut} == {
                shuffled.mentors[r.mentor_index].id for r in top_after if r.score > cut
            }

    min_score = data.draw(st.sampled_from([0.0, 0.2, 0.5]))
    totals = []
    for p in (pool, shuffled):
        values = values_from(*score_matrix(p), min_score)
        totals.append(assign(values, p.capacity).total)
    assert totals[1] == pytest.approx(totals[0], abs=TOTAL_TOLERANCE)


# --- weights ------------------------------------------------------------------------------


@SETTINGS
@given(pools(), st.data())
def test_heavier_criterion_never_pushes_down_its_best_mentor(case, data) -> None:
    mentees, mentors, criteria = case
    which = data.draw(st.integers(0, len(criteria) - 1))
    extra = data.draw(st.floats(0.5, 100))
    heavier = list(criteria)
    heavier[which] = replace(criteria[which], weight=criteria[which].weight + extra)
    pool = Pool(mentees, mentors, criteria)
    pool_after = Pool(mentees, mentors, heavier)
    position = pool_after.criteria.index(heavier[which])

    for i in range(len(mentees)):
        before = full_ranking(pool, i)
        after = full_ranking(pool_after, i)
        # Weights never change who is allowed.
        assert sorted(r.mentor_index for r in before) == sorted(r.mentor_index for r in after)
        if not after:
            continue
        on_criterion = {r.mentor_index: r.similarities[position] for r in after}
        top = max(on_criterion.values())
        score_before = {r.mentor_index: r.score for r in before}
        score_after = {r.mentor_index: r.score for r in after}
        order_before = [r.mentor_index for r in before]
        order_after = [r.mentor_index for r in after]
        for best in (j for j, s in on_criterion.items() if s == top):
            rank_before = order_before.index(best)
            rank_after = order_after.index(best)
            if rank_after <= rank_before:
                continue
            # Only a float tie may reorder: anyone who overtook was level before and after.
            overtook = set(order_after[:rank_after]) - set(order_before[:rank_before])
            for j in overtook:
                assert abs(score_before[j] - score_before[best]) <= TOLERANCE, (i, best, j)
                assert abs(score_after[j] - score_after[best]) <= TOLERANCE, (i, best, j)


# --- assignment ---------------------------------------------------------------------------


@SETTINGS
@given(pools(), st.data())
def test_assign_respects_hard_filters_min_score_and_capacity(case, data) -> None:
    pool = Pool(*case)
    n, m = len(pool.mentees), len(pool.mentors)
    excluded = data.draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, m - 1))))
    min_score = data.draw(st.sampled_from([0.0, 0.1, 0.35, 0.6]))
    bonus = 0.01 * pool.days_waiting / 30
    scores, allowed = score_matrix(pool, excluded)
    for i, j in excluded:
        assert not allowed[i, j]
    values = values_from(scores, allowed, min_score, bonus)
    for result in (
        assign(values, pool.capacity),
        assign(values, pool.capacity, dense_limit=0),
        sparse(values, pool.capacity, k=1),
        sparse(values, pool.capacity, k=2),
    ):
        check_assignment(result, values, pool.capacity)
        for i, j in result.pairs:
            assert allowed[i, j]
            assert (i, j) not in excluded
            assert scores[i, j] >= min_score
            assert pool.capacity[j] > 0


@SETTINGS
@given(pools(max_mentees=6, max_mentors=5), st.sampled_from([0.0, 0.2, 0.35]))
def test_batch_optimum_on_pools(case, min_score) -> None:
    pool = Pool(*case)
    values = values_from(*score_matrix(pool), min_score, 0.01 * pool.days_waiting / 30)
    optimum = brute_force(values, pool.capacity)
    greedy = greedy_assign(values, pool.capacity)
    for result in (
        assign(values, pool.capacity),
        sparse(values, pool.capacity, k=1),
        sparse(values, pool.capacity, k=2),
    ):
        check_assignment(result, values, pool.capacity)
        assert result.total >= greedy.total - TOTAL_TOLERANCE
        assert result.total == pytest.approx(optimum, abs=TOTAL_TOLERANCE), result


@st.composite
def value_matrices(draw, max_mentees: int = 6, max_mentors: int = 5):
    """Raw objective matrices: NaN for pairs not allowed, many ties, capacities 1-2."""
    n = draw(st.integers(1, max_mentees))
    m = draw(st.integers(1, max_mentors))
    cell = st.one_of(
        st.just(math.nan),
        st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0]),
        st.floats(0, 1.25, width=32),
    )
    values = np.array(draw(st.lists(cell, min_size=n * m, max_size=n * m)), dtype=np.float32)
    capacity = np.array(draw(st.lists(st.integers(1, 2), min_size=m, max_size=m)))
    return values.reshape(n, m), capacity


@settings(SETTINGS, max_examples=100)
@given(value_matrices())
def test_assign_equals_brute_force(case) -> None:
    values, capacity = case
    optimum = brute_force(values, capacity)
    greedy = greedy_assign(values, capacity)
    dense = assignment._dense(values, capacity) if not np.isnan(values).all() else None
    for result in (
        assign(values, capacity),
        sparse(values, capacity, 1),
        sparse(values, capacity),
        dense,
    ):
        if result is None:
            continue
        check_assignment(result, values, capacity)
        assert result.total >= greedy.total - TOTAL_TOLERANCE
        assert result.total == pytest.approx(optimum, abs=TOTAL_TOLERANCE), result


def test_sparse_path_grows_its_graph_and_stays_exact() -> None:
    """Seeded instances where k=2 leaves good pairs out: the dual-price loop must add them."""
    rng = np.random.default_rng(2024)
    grown = 0
    for _ in range(300):
        n, m = int(rng.integers(2, 7)), int(rng.integers(2, 6))
        # Low-rank compatibility plus noise: some mentors are everyone's favourite.
        values = (np.outer(rng.random(n), rng.random(m)) + 0.3 * rng.random((n, m))).astype(
            np.float32
        )
        values[rng.random((n, m)) < 0.2] = np.nan
        capacity = rng.integers(1, 3, size=m)
        result = sparse(values, capacity, k=2)
        check_assignment(result, values, capacity)
        assert result.proved_optimal
        assert result.total == pytest.approx(brute_force(values, capacity), abs=TOTAL_TOLERANCE)
        grown += result.rounds > 1
    assert grown > 0  # the growth loop really ran
