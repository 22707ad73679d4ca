"""Batch assignment: the whole waiting list at once, maximising the total score.

Each mentor offers as many places as her free capacity; a mentee takes at most one, or
none when no allowed pair reaches the minimum score. The objective is the sum of the
chosen pairs' values (score, plus an optional bonus for months of waiting).

Small pools are solved densely with SciPy's ``linear_sum_assignment``. Large ones would
take minutes that way (45 s at 5,000 x 5,000), so they are solved on a sparse candidate
graph (each mentee's best mentors and each mentor's best mentees) with LAPMOD, the sparse
Jonker-Volgenant solver of the ``lap`` package, and then *proved* optimal for the full
matrix: shortest-path potentials of the residual graph are dual prices, and if no
left-out pair has a negative reduced cost against them, no left-out pair could improve
the total. Pairs that could are added to the graph and it is solved again. The result is
the exact optimum (to 1e-5 of a point per pair), not an approximation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import linear_sum_assignment

from mentornet.matching.parallel import in_parallel

PRUNE = 0.01  # score points: pairs this far from mattering leave the graph (see _sparse)
DENSE_LIMIT = 400  # mentees x places below which the dense solver is fastest
TOLERANCE = 1e-5  # in score points: above the rounding to integer points (0.5e-5)
GROUPS = 40  # column groups of the incremental violation check (see _Violations)


@dataclass
class Assignment:
    """Chosen (mentee index, mentor index) pairs and how they were found."""

    pairs: list[tuple[int, int]]
    total: float
    method: str
    rounds: int = 1
    candidate_pairs: int = 0
    proved_optimal: bool = True
    stats: dict[str, float] = field(default_factory=dict)


def values_from(
    scores: np.ndarray,
    allowed: np.ndarray,
    min_score: float = 0.0,
    bonus: np.ndarray | None = None,
) -> np.ndarray:
    """The objective per pair: its score (plus the mentee's bonus); NaN where not allowed.

    Built in row blocks on every core: at 20,000 x 20,000 the whole-matrix version spent
    seconds on temporaries the size of the matrix.
    """
    values = np.empty(scores.shape, dtype=np.float32)
    extra = None if bonus is None else np.asarray(bonus, dtype=np.float32)

    def fill(span: tuple[int, int]) -> None:
        start, stop = span
        block = values[start:stop]
        np.copyto(block, scores[start:stop], casting="same_kind")
        if extra is not None:
            block += extra[start:stop, None]
        out = scores[start:stop] < min_score
        out |= ~allowed[start:stop]
        block[out] = np.nan

    in_parallel(fill, _blocks(scores.shape[0]))
    return values


def assign(
    values: np.ndarray, capacity: np.ndarray, dense_limit: int = DENSE_LIMIT, k: int = 32
) -> Assignment:
    """The optimal assignment for ``values`` (NaN = not allowed) under ``capacity``."""
    n, m = values.shape
    capacity = np.asarray(capacity, dtype=np.int64).clip(min=0)
    if n == 0 or m == 0 or capacity.sum() == 0 or np.isnan(values).all():
        return Assignment([], 0.0, "empty", candidate_pairs=0)
    if n * int(capacity.sum()) <= dense_limit**2:
        return _dense(values, capacity)
    return _sparse(values, capacity, k)


def _slots(capacity: np.ndarray) -> np.ndarray:
    """Mentor index of every place."""
    return np.repeat(np.arange(len(capacity)), capacity)


def _dense(values: np.ndarray, capacity: np.ndarray) -> Assignment:
    n = values.shape[0]
    slot_mentor = _slots(capacity)
    expanded = np.nan_to_num(values[:, slot_mentor], nan=-1.0).astype(np.float64)
    # Each mentee may also stay unassigned (value 0): n columns of zeros.
    matrix = np.hstack([expanded, np.zeros((n, n))])
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    pairs = [
        (int(i), int(slot_mentor[c]))
        for i, c in zip(rows, cols, strict=True)
        if c < len(slot_mentor) and matrix[i, c] > 0
    ]
    total = float(sum(values[i, j] for i, j in pairs))
    return Assignment(sorted(pairs), total, "dense", candidate_pairs=int((~np.isnan(values)).sum()))


BLOCK = 1024  # rows per block: keeps temporaries near 100 MB at 20,000 mentors


def _blocks(total: int) -> list[tuple[int, int]]:
    return [(start, min(total, start + BLOCK)) for start in range(0, total, BLOCK)]


def _top_per_row(matrix: np.ndarray, k: int, offset: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(row, column) of each row's k largest finite entries; NaN counts as missing."""
    filled = np.nan_to_num(matrix, nan=-np.inf)
    take = min(k, filled.shape[1])
    top = np.argpartition(-filled, take - 1, axis=1)[:, :take]
    r = np.repeat(np.arange(filled.shape[0]), take)
    c = top.ravel()
    keep = np.isfinite(filled[r, c])
    return r[keep] + offset, c[keep]


def _initial_candidates(values: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Each mentee's best k mentors and each mentor's best k mentees (allowed pairs only)."""
    n, m = values.shape

    def by_row(span: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
        return _top_per_row(values[span[0] : span[1]], k, span[0])

    def by_column(span: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
        columns = np.ascontiguousarray(values[:, span[0] : span[1]].T)
        c, r = _top_per_row(columns, k, span[0])
        return r, c

    found = in_parallel(by_row, _blocks(n)) + in_parallel(by_column, _blocks(m))
    rows = np.concatenate([f[0] for f in found])
    cols = np.concatenate([f[1] for f in found])
    return _unique_pairs(rows, cols, m)


class _Violations:
    """Finds left-out pairs that beat the current prices, rescanning only what could.

    A pair (i, j) violates when ``value - (threshold[i] - column[j]) > TOLERANCE``. After
    a scan, every cell (mentee, group of about 1/40 of the mentors) keeps the largest
    margin it held. When the prices move, a margin can grow by at most the mentee's drop
    in threshold plus the largest rise in the group's column term, so a cell whose bound
    stays below the tolerance cannot hold a violation and is not read again. At 20,000
    x 20,000 the later rounds read a small share of the matrix instead of all of it.
    """

    SLACK = 5e-6  # float32 rounding of the margins, well under TOLERANCE

    def __init__(self, values: np.ndarray) -> None:
        self.values = values
        n, m = values.shape
        width = max(8, -(-m // GROUPS))
        self.groups = [(c, min(m, c + width)) for c in range(0, m, width)]
        self.bound = np.full((n, len(self.groups)), np.inf)
        self.threshold: np.ndarray | None = None
        self.column: np.ndarray | None = None
        self.cells_read = 0

    def _raise_bounds(self, threshold: np.ndarray, column: np.ndarray) -> None:
        if self.threshold is None or self.column is None or not np.isfinite(threshold).all():
            self.bound[:] = np.inf
            return
        drop = self.threshold - threshold
        with np.errstate(invalid="ignore"):
            rise = column - self.column
        same_inf = np.isneginf(column) & np.isneginf(self.column)
        rise = np.where(same_inf, 0.0, np.nan_to_num(rise, nan=np.inf))
        group_rise = np.array([rise[c0:c1].max() for c0, c1 in self.groups])
        self.bound += drop[:, None] + group_rise[None, :]

    def find(
        self, threshold: np.ndarray, column: np.ndarray, per_row: int = 16
    ) -> tuple[np.ndarray, np.ndarray, int]:
        """Up to ``per_row`` violating pairs per mentee, the worst first (adding every
        violating pair at once floods the graph), and how many there were in all."""
        self._raise_bounds(threshold, column)
        self.threshold, self.column = threshold.copy(), column.copy()
        with np.errstate(invalid="ignore"):
            need = ~(self.bound <= TOLERANCE - self.SLACK)  # NaN bounds are read too
        row_term = threshold.astype(np.float32)
        column_term = column.astype(np.float32)

        def check(span: tuple[int, int]) -> tuple[list[np.ndarray], int, int]:
            start, stop = span
            found: list[np.ndarray] = []
            count = read = 0
            buffer = np.empty((stop - start, self.groups[0][1] - self.groups[0][0]), np.float32)
            for g, (c0, c1) in enumerate(self.groups):
                rows = np.flatnonzero(need[start:stop, g]) + start
                if not rows.size:
                    continue
                # Three passes over the tile: subtract, add, row maxima (fmax skips the
                # NaN of pairs that are not allowed, so no pass is spent replacing them).
                whole = rows.size == stop - start
                tile = self.values[start:stop, c0:c1] if whole else self.values[rows, c0:c1]
                margin = buffer[: rows.size, : c1 - c0]
                np.subtract(tile, row_term[rows, None], out=margin)
                margin += column_term[None, c0:c1]
                read += margin.size
                best = np.nan_to_num(np.fmax.reduce(margin, axis=1), nan=-np.inf)
                self.bound[rows, g] = best
                hit_rows = np.flatnonzero(best > TOLERANCE)
                if not hit_rows.size:
                    continue
                sub = margin[hit_rows]
                with np.errstate(invalid="ignore"):
                    count += int((sub > TOLERANCE).sum())
                take = min(per_row, sub.shape[1])
                top = np.argpartition(-sub, take - 1, axis=1)[:, :take]  # NaN sorts last
                r = np.repeat(hit_rows, take)
                c = top.ravel()
                gain = sub[np.repeat(np.arange(hit_rows.size), take), c]
                with np.errstate(invalid="ignore"):
                    keep = gain > TOLERANCE
                found.append(np.stack([rows[r[keep]], c[keep] + c0, gain[keep]]))
            return found, count, read

        results = in_parallel(check, _blocks(self.values.shape[0]))
        self.cells_read += sum(r[2] for r in results)
        total = sum(r[1] for r in results)
        pieces = [piece for r in results for piece in r[0]]
        if not pieces:
            return np.empty(0, np.int64), np.empty(0, np.int64), 0
        rows, cols, gain = np.concatenate(pieces, axis=1)
        order = np.lexsort((-gain, rows))
        rows, cols = rows[order].astype(np.int64), cols[order].astype(np.int64)
        first = np.searchsorted(rows, rows, side="left")
        keep = np.arange(rows.size) - first < per_row
        return rows[keep], cols[keep], total


def _unique_pairs(rows: np.ndarray, cols: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray]:
    key = np.unique(rows.astype(np.int64) * m + cols)
    return key // m, key % m


# Scores become integer points (1e-5 by default) so sums and duals are exact; LAPMOD
# takes weights below one million.
MAX_WEIGHT = 900_000


def _scale(ceiling: float) -> float:
    return float(min(100_000, MAX_WEIGHT // max(1.0, ceiling)))


def _solve_sparse(
    values: np.ndarray,
    capacity: np.ndarray,
    rows: np.ndarray,
    cols: np.ndarray,
    ceiling: float,
    scale: float,
):
    """Optimal matching on the candidate graph with LAPMOD (sparse Jonker-Volgenant).

    LAPMOD wants a square problem with a perfect matching, so every place also gets a
    "filler" row that takes it when it stays empty, or otherwise the "unassigned" column
    of whichever mentee took the place. Weights are integers (micro-points) held in
    float64, so the optimum and the potentials below are exact.

    Returns the graph in mentee x column form (places, then each mentee's own
    "unassigned" column), the matched column of every mentee, and the number of places.
    """
    import lap

    n = values.shape[0]
    slot_start = np.concatenate([[0], np.cumsum(capacity)])
    places = int(slot_start[-1])
    per_pair = capacity[cols]
    arc_rows = np.repeat(rows, per_pair)
    offsets = np.arange(per_pair.sum()) - np.repeat(np.cumsum(per_pair) - per_pair, per_pair)
    arc_cols = np.repeat(slot_start[cols], per_pair) + offsets
    arc_values = values[arc_rows, np.repeat(cols, per_pair)].astype(np.float64)
    arc_weights = np.rint((ceiling - arc_values) * scale)
    idle_weight = float(round(ceiling * scale))
    size = n + places
    # Left: mentees, then place fillers. Right: places, then mentees' "unassigned" columns.
    # Every weight is shifted by +1 (the same for every row, so the optimum is unchanged)
    # because a sparse matrix would drop explicit zeros.
    left = np.concatenate([arc_rows, np.arange(n), n + np.arange(places), n + arc_cols])
    right = np.concatenate([arc_cols, places + np.arange(n), np.arange(places), places + arc_rows])
    weight = (
        np.concatenate(
            [
                arc_weights,
                np.full(n, idle_weight),
                np.zeros(places),
                np.zeros(arc_cols.size),
            ]
        )
        + 1.0
    )
    square = sparse.csr_matrix((weight, (left, right)), shape=(size, size))
    square.sum_duplicates()
    square.sort_indices()
    mate, _inverse = lap.lapmod(size, square.data, square.indptr, square.indices, return_cost=False)
    mates = np.asarray(mate[:n], dtype=np.int64)
    all_rows = np.concatenate([arc_rows, np.arange(n)])
    all_cols = np.concatenate([arc_cols, places + np.arange(n)])
    all_weights = np.concatenate([arc_weights, np.full(n, idle_weight)])
    graph = sparse.csr_matrix((all_weights, (all_rows, all_cols)), shape=(n, places + n))
    return graph, np.arange(n), mates, places


def _potentials(
    graph: sparse.csr_matrix,
    matched_rows: np.ndarray,
    matched_cols: np.ndarray,
    n: int,
    columns: int,
) -> np.ndarray | None:
    """Shortest-path distances in the residual graph (valid dual prices), or None.

    Nodes: mentees 0..n-1, columns n..n+columns-1, and a sink. Unmatched arcs run from
    mentee to column at their weight; matched arcs run back at minus their weight; the
    sink feeds matched columns and drains unmatched ones at zero cost.
    """
    coo = graph.tocoo()
    match_of_row = np.full(n, -1)
    match_of_row[matched_rows] = matched_cols
    is_matched = match_of_row[coo.row] == coo.col
    sink = n + columns
    column_taken = np.zeros(columns, dtype=bool)
    column_taken[matched_cols] = True
    src = np.concatenate(
        [
            coo.row[~is_matched],
            n + coo.col[is_matched],
            np.full(column_taken.sum(), sink),
            n + np.flatnonzero(~column_taken),
        ]
    )
    dst = np.concatenate(
        [
            n + coo.col[~is_matched],
            coo.row[is_matched],
            n + np.flatnonzero(column_taken),
            np.full((~column_taken).sum(), sink),
        ]
    )
    cost = np.concatenate(
        [
            coo.data[~is_matched],
            -coo.data[is_matched],
            np.zeros(column_taken.sum()),
            np.zeros((~column_taken).sum()),
        ]
    )
    order = np.argsort(dst, kind="stable")
    src, dst, cost = src[order], dst[order], cost[order]
    starts = np.flatnonzero(np.r_[True, dst[1:] != dst[:-1]])
    targets = dst[starts]
    distance = np.zeros(n + columns + 1)
    for _ in range(n + columns + 2):
        best = np.minimum.reduceat(distance[src] + cost, starts)
        improved = best < distance[targets] - 1e-12
        if not improved.any():
            return distance
        distance[targets[improved]] = best[improved]
    return None  # did not settle: cannot prove optimality this way


def _sparse(values: np.ndarray, capacity: np.ndarray, k: int) -> Assignment:
    n, m = values.shape
    ceiling = float(np.nanmax(values)) + 1.0
    scale = _scale(ceiling)
    rows, cols = _initial_candidates(values, k)
    violations = _Violations(values)
    rounds = 0
    proved = False
    while True:
        rounds += 1
        graph, matched_rows, matched_cols, places = _solve_sparse(
            values, capacity, rows, cols, ceiling, scale
        )
        distance = _potentials(graph, matched_rows, matched_cols, n, places + n)
        slot_mentor_of = _slots(capacity)
        if distance is None:
            break
        row_potential = distance[:n]
        slot_potential = distance[n : n + places]
        mentor_potential = np.full(m, -np.inf)
        if places:
            np.maximum.at(mentor_potential, _slots(capacity), slot_potential)
        # A left-out pair could improve the total only if its reduced cost is negative:
        # (ceiling - v) * scale + d(i) - d(place) < 0
        #   <=>  v > ceiling + (d(i) - max d(place)) / scale
        new_rows, new_cols, _count = violations.find(
            ceiling + row_potential / scale, mentor_potential / scale
        )
        known = np.isin(new_rows * m + new_cols, rows * m + cols)
        new_rows, new_cols = new_rows[~known], new_cols[~known]
        if new_rows.size == 0:
            proved = True
            break
        # Keep the graph small: drop pairs far from mattering at these prices (reduced
        # cost above PRUNE). Dropped pairs are left-out pairs like any other: if they come
        # to matter, the next check finds them.
        reduced = (ceiling - values[rows, cols]) + (
            row_potential[rows] - mentor_potential[cols]
        ) / scale
        taken = matched_cols < places
        chosen_keys = matched_rows[taken] * m + slot_mentor_of[matched_cols[taken]]
        keep = np.isin(rows * m + cols, chosen_keys) | (reduced <= PRUNE)
        rows, cols = _unique_pairs(
            np.concatenate([rows[keep], new_rows]), np.concatenate([cols[keep], new_cols]), m
        )
    slot_mentor = _slots(capacity)
    pairs = sorted(
        (int(i), int(slot_mentor[c]))
        for i, c in zip(matched_rows, matched_cols, strict=True)
        if c < places
    )
    total = float(sum(values[i, j] for i, j in pairs))
    return Assignment(
        pairs, total, "sparse", rounds=rounds, candidate_pairs=int(rows.size), proved_optimal=proved
    )


def greedy_assign(values: np.ndarray, capacity: np.ndarray) -> Assignment:
    """The bulk greedy match common products use: best remaining pair first."""
    capacity = np.asarray(capacity, dtype=np.int64).copy()
    rows, cols = np.nonzero(~np.isnan(values))
    order = np.argsort(-values[rows, cols], kind="stable")
    taken = np.zeros(values.shape[0], dtype=bool)
    pairs = []
    for index in order:
        i, j = rows[index], cols[index]
        if not taken[i] and capacity[j] > 0:
            taken[i] = True
            capacity[j] -= 1
            pairs.append((int(i), int(j)))
    total = float(sum(values[i, j] for i, j in pairs))
    return Assignment(sorted(pairs), total, "greedy", candidate_pairs=int(rows.size))
