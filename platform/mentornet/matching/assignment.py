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
FOLDS = 32  # column blocks folded onto each other for the row floors of _initial_candidates
ROW_CHUNK = 64  # mentees per maximum for the column floors of _initial_candidates


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
    if n == 0 or m == 0 or capacity.sum() == 0 or np.isnan(np.fmax.reduce(values, axis=None)):
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
assert BLOCK % ROW_CHUNK == 0  # _initial_candidates' chunks never straddle two blocks


def _blocks(total: int) -> list[tuple[int, int]]:
    return [(start, min(total, start + BLOCK)) for start in range(0, total, BLOCK)]


def _kth_largest(matrix: np.ndarray, k: int, axis: int) -> np.ndarray:
    """The k-th largest entry along ``axis``; NaN counts as missing, -inf if fewer than k."""
    filled = np.nan_to_num(matrix, nan=-np.inf, posinf=np.inf, neginf=-np.inf)
    size = filled.shape[axis]
    if size < k:
        return np.full(filled.shape[1 - axis], -np.inf, dtype=filled.dtype)
    return -np.partition(-filled, k - 1, axis=axis).take(k - 1, axis=axis)


def _first_per_key(key: np.ndarray, score: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k highest ``score`` entries of every ``key``, ties by position."""
    order = np.lexsort((-score, key))
    ranked = key[order]
    first = np.searchsorted(ranked, ranked, side="left")
    return order[np.arange(order.size) - first < k]


def _floors(values: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Per mentee and per mentor, a value her k-th best is sure to reach (-inf: keep all).

    One pass: each row folded onto itself (the maxima of FOLDS-apart column sets) and each
    column's maxima over runs of ROW_CHUNK mentees. The k-th largest of such maxima, being
    maxima of disjoint sets, is at most the k-th largest value, and usually close to it.
    """
    n, m = values.shape
    width = -(-m // FOLDS)
    folded = np.empty((n, width), dtype=np.float32)
    chunk_maxima = np.empty((-(-n // ROW_CHUNK), m), dtype=np.float32)

    def maxima(span: tuple[int, int]) -> None:
        for start in range(span[0], span[1], ROW_CHUNK):
            block = values[start : min(span[1], start + ROW_CHUNK)]
            np.fmax.reduce(block, axis=0, out=chunk_maxima[start // ROW_CHUNK])
            fold = folded[start : start + block.shape[0]]
            np.copyto(fold, block[:, :width])
            for c0 in range(width, m, width):
                part = fold[:, : min(m, c0 + width) - c0]
                np.fmax(part, block[:, c0 : c0 + part.shape[1]], out=part)

    in_parallel(maxima, _blocks(n))
    return _kth_largest(folded, k, axis=1), _kth_largest(chunk_maxima, k, axis=0)


def _initial_candidates(values: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Each mentee's best k mentors and each mentor's best k mentees (allowed pairs only).

    Two streaming passes instead of a partial sort of every row and of every (transposed)
    column: the first finds floors (``_floors``), the second keeps only the values at or
    above them, a few dozen a row or column, and those are sorted.
    """
    n, m = values.shape
    row_floor, column_floor = _floors(values, k)

    def above(span: tuple[int, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        found = []
        for start in range(span[0], span[1], ROW_CHUNK):  # masks that stay in cache
            block = values[start : min(span[1], start + ROW_CHUNK)]
            keep = block >= row_floor[start : start + block.shape[0], None]
            keep |= block >= column_floor[None, :]
            r, c = np.nonzero(keep)
            found.append((r + start, c, block[r, c]))
        return tuple(np.concatenate(parts) for parts in zip(*found, strict=True))

    found = in_parallel(above, _blocks(n))
    rows = np.concatenate([f[0] for f in found])
    cols = np.concatenate([f[1] for f in found])
    best = np.concatenate([f[2] for f in found])
    finite = np.isfinite(best)
    rows, cols, best = rows[finite], cols[finite], best[finite]
    by_row = np.flatnonzero(best >= row_floor[rows])
    by_row = by_row[_first_per_key(rows[by_row], best[by_row], k)]
    by_column = np.flatnonzero(best >= column_floor[cols])
    by_column = by_column[_first_per_key(cols[by_column], best[by_column], k)]
    chosen = np.concatenate([by_row, by_column])
    return _unique_pairs(rows[chosen], cols[chosen], m)


class _Violations:
    """Finds left-out pairs that beat the current prices, rescanning only what could.

    A pair (i, j) violates when ``value - (threshold[i] - column[j]) > TOLERANCE``. After
    a scan, every cell (mentee, group of about 1/40 of the mentors) keeps the largest
    margin it held. When the prices move, a margin can grow by at most the mentee's drop
    in threshold plus the largest rise in the group's column term, so a cell whose bound
    stays below the tolerance cannot hold a violation and is not read again. At 20,000
    x 20,000 the later rounds read a small share of the matrix instead of all of it.

    The worst pairs of a mentee are picked without sorting her row: the cells' maxima
    give a floor (her ``per_row``-th largest cell maximum) that at least ``per_row`` of
    her margins reach, and only the cells at or above it are read again to collect them.
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

    def _margins(
        self,
        rows: np.ndarray | slice,
        g: int,
        terms: tuple[np.ndarray, np.ndarray],
        out: np.ndarray,
    ) -> np.ndarray:
        """value - row term + column term over one group, the same float32 steps always."""
        c0, c1 = self.groups[g]
        row_term, column_term = terms
        height = (rows.stop - rows.start) if isinstance(rows, slice) else rows.size
        margin = out[:height, : c1 - c0]
        np.subtract(self.values[rows, c0:c1], row_term[rows, None], out=margin)
        margin += column_term[None, c0:c1]
        return margin

    def _scan(
        self, span: tuple[int, int], need: np.ndarray, terms: tuple[np.ndarray, np.ndarray]
    ) -> int:
        """Exact cell maxima wherever the bound could not rule a violation out."""
        start, stop = span
        buffer = np.empty((stop - start, self.groups[0][1] - self.groups[0][0]), np.float32)
        read = 0
        for g in range(len(self.groups)):
            rows = np.flatnonzero(need[start:stop, g]) + start
            if not rows.size:
                continue
            # Reading a few rows too many costs less than gathering the ones needed.
            span_rows: np.ndarray | slice = rows
            if rows.size * 2 > stop - start:
                span_rows = slice(start, stop)
            margin = self._margins(span_rows, g, terms, buffer)
            read += margin.size
            # fmax skips the NaN of pairs that are not allowed.
            best = np.nan_to_num(np.fmax.reduce(margin, axis=1), nan=-np.inf)
            self.bound[span_rows, g] = best
        return read

    def _collect(
        self,
        span: tuple[int, int],
        take: np.ndarray,
        floor: np.ndarray,
        terms: tuple[np.ndarray, np.ndarray],
    ) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """The margins at or above their mentee's floor, in the cells that reach it."""
        start, stop = span
        buffer = np.empty((stop - start, self.groups[0][1] - self.groups[0][0]), np.float32)
        found = []
        for g in range(len(self.groups)):
            rows = np.flatnonzero(take[start:stop, g]) + start
            if not rows.size:
                continue
            margin = self._margins(rows, g, terms, buffer)
            with np.errstate(invalid="ignore"):
                r, c = np.nonzero((margin >= floor[rows, None]) & (margin > TOLERANCE))
            found.append((rows[r], c + self.groups[g][0], margin[r, c]))
        return found

    def find(
        self, threshold: np.ndarray, column: np.ndarray, per_row: int = 16
    ) -> tuple[np.ndarray, np.ndarray]:
        """Up to ``per_row`` violating pairs per mentee, her worst (adding every violating
        pair at once floods the graph); none means no left-out pair violates."""
        n = self.values.shape[0]
        self._raise_bounds(threshold, column)
        self.threshold, self.column = threshold.copy(), column.copy()
        with np.errstate(invalid="ignore"):
            need = ~(self.bound <= TOLERANCE - self.SLACK)  # NaN bounds are read too
        terms = (threshold.astype(np.float32), column.astype(np.float32))
        self.cells_read += sum(in_parallel(lambda s: self._scan(s, need, terms), _blocks(n)))
        # Every cell now holds its exact maximum or a bound below the tolerance.
        hits = self.bound > TOLERANCE
        hit_rows = np.flatnonzero(hits.any(axis=1))
        if not hit_rows.size:
            return np.empty(0, np.int64), np.empty(0, np.int64)
        floor = np.full(n, np.inf)
        floor[hit_rows] = np.maximum(_kth_largest(self.bound[hit_rows], per_row, 1), TOLERANCE)
        take = hits & (self.bound >= floor[:, None])
        pieces = [
            piece
            for found in in_parallel(lambda s: self._collect(s, take, floor, terms), _blocks(n))
            for piece in found
        ]
        if not pieces:
            return np.empty(0, np.int64), np.empty(0, np.int64)
        rows = np.concatenate([p[0] for p in pieces]).astype(np.int64)
        cols = np.concatenate([p[1] for p in pieces]).astype(np.int64)
        gain = np.concatenate([p[2] for p in pieces])
        chosen = _first_per_key(rows, gain, per_row)
        return rows[chosen], cols[chosen]


def _unique_pairs(rows: np.ndarray, cols: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Distinct pairs in row-major order (a sort: NumPy's hashed unique is slower here)."""
    key = np.sort(rows.astype(np.int64) * m + cols)
    key = key[np.r_[True, key[1:] != key[:-1]]] if key.size else key
    return key // m, key % m


def _member(keys: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    """np.isin for a sorted second argument, by binary search (no hashing, no sorting)."""
    if not sorted_keys.size:
        return np.zeros(keys.shape, dtype=bool)
    at = np.searchsorted(sorted_keys, keys).clip(max=sorted_keys.size - 1)
    return sorted_keys[at] == keys


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


def _arcs_out_of(nodes: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Positions of every arc leaving ``nodes`` in arcs sorted by source (CSR ``first``)."""
    starts = first[nodes]
    counts = first[nodes + 1] - starts
    ends = np.cumsum(counts)
    return np.repeat(starts - ends + counts, counts) + np.arange(ends[-1] if ends.size else 0)


def _residual_arcs(
    graph: sparse.csr_matrix,
    matched_rows: np.ndarray,
    matched_cols: np.ndarray,
    n: int,
    columns: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(source, target, cost) of every arc of the residual graph of a matching.

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
    taken, free = np.flatnonzero(column_taken), np.flatnonzero(~column_taken)
    src = np.concatenate(
        [coo.row[~is_matched], n + coo.col[is_matched], np.full(taken.size, sink), n + free]
    )
    dst = np.concatenate(
        [n + coo.col[~is_matched], coo.row[is_matched], n + taken, np.full(free.size, sink)]
    )
    cost = np.concatenate(
        [coo.data[~is_matched], -coo.data[is_matched], np.zeros(taken.size + free.size)]
    )
    return src, dst, cost


def _potentials(
    graph: sparse.csr_matrix,
    matched_rows: np.ndarray,
    matched_cols: np.ndarray,
    n: int,
    columns: int,
) -> np.ndarray | None:
    """Shortest-path distances in the residual graph (valid dual prices), or None.

    Distances from a virtual source with a zero arc to every node (``_residual_arcs``),
    by Bellman-Ford that relaxes in each pass only the arcs out of nodes that changed in
    the last one (the others were relaxed when they last changed): the same passes and
    distances as relaxing every arc, at a few hundredths of the work.
    """
    src, dst, cost = _residual_arcs(graph, matched_rows, matched_cols, n, columns)
    order = np.argsort(src, kind="stable")
    src, dst, cost = src[order], dst[order], cost[order]
    nodes = n + columns + 1
    first = np.searchsorted(src, np.arange(nodes + 1))
    distance = np.zeros(nodes)
    changed = np.arange(nodes)
    reached = np.zeros(nodes, dtype=bool)
    for _ in range(nodes + 1):
        arcs = _arcs_out_of(changed, first)
        reach = distance[src[arcs]] + cost[arcs]
        better = reach < distance[dst[arcs]] - 1e-12
        if not better.any():
            return distance
        target = dst[arcs[better]]
        np.minimum.at(distance, target, reach[better])
        reached[target] = True
        changed = np.flatnonzero(reached)
        reached[changed] = False
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
        new_rows, new_cols = violations.find(
            ceiling + row_potential / scale, mentor_potential / scale
        )
        known = _member(new_rows * m + new_cols, rows * m + cols)
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
        keep = _member(rows * m + cols, np.sort(chosen_keys)) | (reduced <= PRUNE)
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
