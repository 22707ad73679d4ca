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

from mentornet.matching import assignment, scoring
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


# --- the fast paths give the plain definitions' answers -----------------------------------


@SETTINGS
@given(
    pools(),
    st.sampled_from([0, 1, 2, scoring.TABLE_KEYS]),
    st.sampled_from([0, scoring.TABLE_CELLS]),
    st.data(),
)
def test_score_matrix_is_pool_block(case, table_keys, table_cells, data) -> None:
    """Looked up or computed directly, in runs or alone: the same scores (to float32's
    last bit, far below what the assignment can tell apart) and the same filters."""
    pool = Pool(*case)
    n, m = len(pool.mentees), len(pool.mentors)
    excluded = data.draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, m - 1))))
    expected, expected_allowed = pool.block(np.arange(n))
    for i, j in excluded:
        expected_allowed[i, j] = False
    saved = scoring.TABLE_KEYS, scoring.TABLE_CELLS
    scoring.TABLE_KEYS, scoring.TABLE_CELLS = table_keys, table_cells
    try:
        scores, allowed = score_matrix(pool, excluded, block_rows=3)
    finally:
        scoring.TABLE_KEYS, scoring.TABLE_CELLS = saved
    assert scores.dtype == expected.dtype == np.float32
    np.testing.assert_allclose(scores, expected, rtol=0, atol=1e-6)
    assert np.array_equal(allowed, expected_allowed)


def random_values(seed: int, n: int, m: int, missing: float = 0.3, step: float = 0.0):
    """Low-rank compatibility plus noise, some pairs not allowed, ties if ``step``."""
    rng = np.random.default_rng(seed)
    values = np.outer(rng.random(n), rng.random(m)) + 0.3 * rng.random((n, m))
    if step:
        values = np.round(values / step) * step
    values = values.astype(np.float32)
    values[rng.random((n, m)) < missing] = np.nan
    return values


@pytest.mark.parametrize("seed, k", [(1, 1), (2, 3), (3, 32), (4, 70)])
def test_initial_candidates_hold_every_rows_and_columns_best(seed, k) -> None:
    values = random_values(seed, 300, 230, step=0.05 if seed % 2 else 0.0)
    values[7] = np.nan  # a mentee with no allowed pair
    values[:, 11] = np.nan  # a mentor with none
    values[9, :] = np.where(np.arange(230) % 50 == 0, 0.5, np.nan)  # one with few
    rows, cols = assignment._initial_candidates(values, k)
    picked = values[rows, cols]
    assert not np.isnan(picked).any()
    assert np.unique(rows * 230 + cols).size == rows.size
    for axis, index, other in ((0, rows, cols), (1, cols, rows)):
        lines = values if axis == 0 else values.T
        for line in range(lines.shape[0]):
            everything = lines[line][~np.isnan(lines[line])]
            best = np.sort(everything)[::-1][:k]
            mine = np.sort(lines[line][other[index == line]])[::-1][: best.size]
            assert np.array_equal(mine, best), (axis, line)


def brute_force_violations(values, threshold, column, per_row):
    """Each row's ``per_row`` largest margins above the tolerance, computed directly."""
    margin = (values - threshold.astype(np.float32)[:, None]) + column.astype(np.float32)
    worst = []
    for row in margin:
        with np.errstate(invalid="ignore"):
            hits = row[row > assignment.TOLERANCE]
        worst.append(np.sort(hits)[::-1][:per_row])
    return margin, worst


@pytest.mark.parametrize("seed", [5, 6, 7])
def test_violations_are_each_rows_worst_also_when_prices_move(seed) -> None:
    rng = np.random.default_rng(seed)
    n, m, per_row = 1100, 150, 4  # two row blocks, 19 column groups
    values = random_values(seed, n, m, step=0.05 if seed % 2 else 0.0)
    threshold = 0.6 + 0.3 * rng.random(n)
    column = -0.3 * rng.random(m)
    column[3] = -np.inf  # a mentor without places
    violations = assignment._Violations(values)
    for _ in range(4):
        rows, cols = violations.find(threshold, column, per_row)
        margin, worst = brute_force_violations(values, threshold, column, per_row)
        assert np.unique(rows * m + cols).size == rows.size
        for i in range(n):
            mine = np.sort(margin[i, cols[rows == i]])[::-1]
            assert np.array_equal(mine, worst[i]), i
        # Prices move as between rounds: some thresholds drop, some columns rise.
        threshold = threshold - 0.05 * (rng.random(n) < 0.1)
        column = column + 0.05 * (rng.random(m) < 0.1) * rng.random(m)
    rows, cols = violations.find(np.full(n, 5.0), np.full(m, -5.0), per_row)
    assert rows.size == cols.size == 0


def test_potentials_are_the_shortest_distances() -> None:
    """The pass-by-pass relaxation of changed nodes equals a textbook Bellman-Ford."""
    from scipy.sparse import csgraph, csr_matrix

    values = random_values(8, 120, 90)
    capacity = np.random.default_rng(8).integers(1, 3, size=90)
    rows, cols = assignment._initial_candidates(values, 3)
    ceiling = float(np.nanmax(values)) + 1.0
    scale = assignment._scale(ceiling)
    graph, matched_rows, matched_cols, places = assignment._solve_sparse(
        values, capacity, rows, cols, ceiling, scale
    )
    columns = places + 120
    distance = assignment._potentials(graph, matched_rows, matched_cols, 120, columns)
    src, dst, cost = assignment._residual_arcs(graph, matched_rows, matched_cols, 120, columns)
    nodes = 120 + columns + 1
    source = np.full(nodes, nodes)  # a virtual source with a zero arc to every node
    arcs = csr_matrix(
        (np.r_[cost, np.zeros(nodes)], (np.r_[src, source], np.r_[dst, np.arange(nodes)])),
        shape=(nodes + 1, nodes + 1),
    )
    expected = csgraph.bellman_ford(arcs, indices=nodes)[:nodes]
    assert np.array_equal(distance, expected)


def exact_total(values: np.ndarray, result) -> float:
    return sum(float(values[i, j]) for i, j in result.pairs)


@pytest.mark.parametrize(
    "seed, n, m, step",
    [(11, 300, 260, 0.0), (12, 300, 260, 0.05), (13, 1100, 300, 0.0), (14, 200, 500, 0.01)],
)
def test_sparse_equals_dense_on_larger_matrices(seed, n, m, step) -> None:
    """Several row blocks, column groups and folds: the proved optimum is the optimum."""
    values = random_values(seed, n, m, step=step)
    capacity = np.random.default_rng(seed).integers(0, 3, size=m)
    result = assignment._sparse(values, capacity, 8)
    check_assignment(result, values, capacity)
    assert result.proved_optimal and result.rounds > 1
    dense = assignment._dense(values, capacity)
    # In float64: Assignment.total adds float32 values in float32, 1e-4 off at this size.
    assert exact_total(values, result) == pytest.approx(
        exact_total(values, dense), abs=TOTAL_TOLERANCE
    )
