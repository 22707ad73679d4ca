"""Scores in 0..1, criterion by criterion, for one mentee or the whole waiting list.

``Pool`` encodes both sides once (shared dictionaries, NumPy columns); after that one
mentee against every mentor is a handful of vectorised operations, and the full
mentee x mentor matrix is the same operations over blocks of rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from mentornet.matching.parallel import in_parallel
from mentornet.matching.profiles import BUSINESS_STAGES, EDUCATION_LEVELS, Criterion, Profile
from mentornet.matching.textsim import TextEncoder

KINDS = ("same", "taxonomy", "ordinal", "overlap", "text")


def _raw(profile: Profile, criterion: Criterion, side: str) -> Any:
    """The value a criterion compares, for one side."""
    name = criterion.field
    if name.startswith("intake."):
        return profile.intake.get(name[7:])
    if name == "goals":
        return profile.needs() if side == "mentee" else profile.helps_with
    if name == "story":
        return profile.text
    return getattr(profile, name)


def _ordinal(value: Any, criterion: Criterion) -> float:
    if value is None or value == "":
        return np.nan
    if criterion.field == "business_stage":
        return float(BUSINESS_STAGES.index(value)) if value in BUSINESS_STAGES else np.nan
    if criterion.scale:
        return float(criterion.scale.index(value)) if value in criterion.scale else np.nan
    try:
        return float(value)
    except (TypeError, ValueError):
        return np.nan


def _as_set(value: Any) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(str(v) for v in value)
    return (str(value),)


@dataclass
class _Encoded:
    """One criterion's columns for both sides."""

    criterion: Criterion
    mentee: np.ndarray
    mentor: np.ndarray
    span: float = 1.0  # ordinal: the scale's length
    digits: int = 0  # taxonomy: code length
    mentee_size: np.ndarray | None = None  # overlap: |her set|


class Pool:
    """Mentees and mentors encoded for a tenant's criteria."""

    def __init__(
        self,
        mentees: Sequence[Profile],
        mentors: Sequence[Profile],
        criteria: Sequence[Criterion],
    ) -> None:
        self.mentees = list(mentees)
        self.mentors = list(mentors)
        self.criteria = [c for c in criteria if c.weight > 0 or c.hard]
        weights = np.array([c.weight for c in self.criteria], dtype=np.float32)
        self.weights = weights
        self.weight_total = float(weights.sum()) or 1.0
        self.capacity = np.array([max(0, m.free_capacity) for m in self.mentors], dtype=np.int32)
        self.days_waiting = np.array([m.days_waiting for m in self.mentees], dtype=np.float32)
        self.encoded = [self._encode(c) for c in self.criteria]

    # --- encoding -------------------------------------------------------------------------

    def _encode(self, criterion: Criterion) -> _Encoded:
        kind = criterion.kind
        mentee_values = [_raw(p, criterion, "mentee") for p in self.mentees]
        mentor_values = [_raw(p, criterion, "mentor") for p in self.mentors]
        if kind == "same":
            codes: dict[str, int] = {}

            def code(v: Any) -> int:
                if v is None or v == "" or isinstance(v, (list, tuple)):
                    return -1
                return codes.setdefault(str(v), len(codes))

            return _Encoded(
                criterion,
                np.array([code(v) for v in mentee_values], dtype=np.int32),
                np.array([code(v) for v in mentor_values], dtype=np.int32),
            )
        if kind == "taxonomy":
            values = [v for v in mentee_values + mentor_values if v]
            digits = max((len(str(v)) for v in values), default=1)

            def number(v: Any) -> int:
                text = str(v or "")
                return int(text) if text.isdigit() and len(text) == digits else -1

            return _Encoded(
                criterion,
                np.array([number(v) for v in mentee_values], dtype=np.int64),
                np.array([number(v) for v in mentor_values], dtype=np.int64),
                digits=digits,
            )
        if kind == "ordinal":
            a = np.array([_ordinal(v, criterion) for v in mentee_values], dtype=np.float32)
            b = np.array([_ordinal(v, criterion) for v in mentor_values], dtype=np.float32)
            if criterion.field == "education_level":
                span = float(EDUCATION_LEVELS[1] - EDUCATION_LEVELS[0])
            elif criterion.field == "business_stage":
                span = float(len(BUSINESS_STAGES) - 1)
            elif criterion.scale:
                span = float(max(1, len(criterion.scale) - 1))
            else:
                both = np.concatenate([a, b])
                both = both[~np.isnan(both)]
                span = float(both.max() - both.min()) if both.size else 1.0
            return _Encoded(criterion, a, b, span=span or 1.0)
        if kind == "overlap":
            a_sets = [_as_set(v) for v in mentee_values]
            b_sets = [_as_set(v) for v in mentor_values]
            vocabulary = {
                item: i for i, item in enumerate(sorted({x for s in a_sets + b_sets for x in s}))
            }
            width = max(1, len(vocabulary))
            a = np.zeros((len(a_sets), width), dtype=np.float32)
            b = np.zeros((len(b_sets), width), dtype=np.float32)
            for row, items in enumerate(a_sets):
                a[row, [vocabulary[x] for x in items]] = 1
            for row, items in enumerate(b_sets):
                b[row, [vocabulary[x] for x in items]] = 1
            return _Encoded(criterion, a, b, mentee_size=a.sum(axis=1))
        if kind == "text":
            texts_a = [str(v or "") for v in mentee_values]
            texts_b = [str(v or "") for v in mentor_values]
            encoder = TextEncoder(texts_a + texts_b)
            return _Encoded(criterion, encoder.encode(texts_a), encoder.encode(texts_b))
        raise ValueError(f"unknown criterion kind {kind!r}")

    # --- similarity -----------------------------------------------------------------------

    @staticmethod
    def _similarity(enc: _Encoded, rows: np.ndarray) -> np.ndarray:
        """(len(rows), n_mentors) similarities in [0, 1] for one criterion."""
        kind = enc.criterion.kind
        if kind == "same":
            a = enc.mentee[rows][:, None]
            return ((a == enc.mentor[None, :]) & (a >= 0)).astype(np.float32)
        if kind == "taxonomy":
            a = enc.mentee[rows][:, None]
            b = enc.mentor[None, :]
            depth = np.zeros((a.shape[0], b.shape[1]), dtype=np.float32)
            for level in range(enc.digits):
                divisor = 10 ** (enc.digits - 1 - level)
                depth += (a // divisor) == (b // divisor)
            depth *= (a >= 0) & (b >= 0)
            return depth / np.float32(enc.digits)
        if kind == "ordinal":
            difference = np.abs(enc.mentee[rows][:, None] - enc.mentor[None, :])
            similarity = 1 - difference / np.float32(enc.span)
            return np.nan_to_num(np.clip(similarity, 0, 1), nan=0.0).astype(np.float32)
        if kind == "overlap":
            shared = enc.mentee[rows] @ enc.mentor.T
            size = enc.mentee_size[rows][:, None]
            return np.divide(shared, size, out=np.zeros_like(shared), where=size > 0)
        # text
        similarity = enc.mentee[rows] @ enc.mentor.T
        return np.clip(similarity, 0, 1, out=similarity)

    def similarities(self, rows: np.ndarray | Iterable[int]) -> np.ndarray:
        """(criteria, rows, mentors) similarities."""
        rows = np.asarray(list(rows) if not isinstance(rows, np.ndarray) else rows)
        return np.stack([self._similarity(enc, rows) for enc in self.encoded])

    def block(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Scores (weighted mean) and the hard-filter mask for a block of mentees.

        The plain definition, criterion by criterion; ``score_matrix`` gets the same
        numbers faster through lookup tables (``_Tables``).
        """
        scores = np.zeros((len(rows), len(self.mentors)), dtype=np.float32)
        allowed = np.broadcast_to(self.capacity > 0, scores.shape).copy()
        for weight, enc in zip(self.weights, self.encoded, strict=True):
            similarity = self._similarity(enc, rows)
            if weight:
                scores += weight * similarity
            if enc.criterion.hard:
                allowed &= similarity > 0
        scores /= np.float32(self.weight_total)
        return scores, allowed


TABLE_KEYS = 1024  # distinct mentee keys up to which criteria are looked up (see _Tables)
# Tables may hold a quarter as many cells as the score matrix, or this many if more.
TABLE_CELLS = 1 << 24


@dataclass
class _Run:
    """Consecutive criteria looked up together: a table row per distinct mentee key."""

    code: np.ndarray  # (mentees,) each mentee's row in the tables
    partial: np.ndarray | None  # (keys, mentors) float32: the run's weighted sum, if any
    mask: np.ndarray | None  # (keys, mentors) bool: the run's hard criteria all passed


def _distinct(columns: np.ndarray) -> tuple[np.ndarray, int]:
    """Each row's index among the distinct rows of ``columns``, and how many there are."""
    flat = columns.reshape(len(columns), -1)
    unique, code = np.unique(flat, axis=0, return_inverse=True)
    return code.reshape(-1), len(unique)


class _Tables:
    """Pool.block's numbers for the whole matrix, with most criteria looked up.

    A criterion's similarity depends on the mentee only through her value for it, and a
    programme has few distinct values (120 professions, 7 education levels, a few hundred
    sets of interests), even taken together over a run of consecutive criteria. A run's
    weighted sum is computed once per distinct mentee key against every mentor, and a
    mentee's row of the matrix is then a copy or an addition of table rows: one pass over
    the row instead of several per criterion. A run's sum is rounded to float32 on its
    own before it joins the row, so a score may differ from Pool.block's in the last bit
    (1e-7), far below the 0.5e-5 the assignment rounds scores to. Text criteria (every
    story differs) and runs with too many keys are computed directly.
    """

    def __init__(self, pool: Pool) -> None:
        self.pool = pool
        n, m = len(pool.mentees), len(pool.mentors)
        self.room = max(n * m // 4, TABLE_CELLS)  # table cells still allowed
        self.items: list[_Run | int] = []  # a run, or the index of a criterion done directly
        run: list[int] = []  # the run being built, and its mentees' joint keys
        keys, count = np.zeros(n, dtype=np.intp), 1
        for index, enc in enumerate(pool.encoded):
            own = None if enc.criterion.kind == "text" else _distinct(enc.mentee)
            if own is not None and run:
                joined = _distinct(np.stack([keys, own[0]], axis=1))
                if joined[1] <= TABLE_KEYS:
                    run.append(index)
                    keys, count = joined
                    continue
            self._close(run, keys, count)
            run = []
            if own is not None and own[1] <= TABLE_KEYS:
                run, (keys, count) = [index], own
            else:
                self.items.append(index)
        self._close(run, keys, count)

    def _close(self, run: list[int], keys: np.ndarray, count: int) -> None:
        """Add a finished run: as a table if there is room, else criterion by criterion."""
        cells = count * len(self.pool.mentors)
        if run and cells <= self.room:
            self.room -= cells
            self.items.append(self._run(run, keys))
        else:
            self.items.extend(run)

    def _run(self, indices: list[int], code: np.ndarray) -> _Run:
        pool = self.pool
        # One mentee per key stands for all who share it.
        representative = np.unique(code, return_index=True)[1]
        partial = mask = None
        for index in indices:
            weight, enc = pool.weights[index], pool.encoded[index]
            similarity = pool._similarity(enc, representative)
            if weight:
                if partial is None:
                    partial = np.zeros(similarity.shape, dtype=np.float32)
                partial += weight * similarity
            if enc.criterion.hard:
                mask = similarity > 0 if mask is None else mask & (similarity > 0)
        return _Run(code, partial, mask)

    def fill(self, start: int, stop: int, scores: np.ndarray, allowed: np.ndarray) -> None:
        """Rows start:stop of the matrix into ``scores`` and ``allowed`` (views)."""
        pool = self.pool
        rows = np.arange(start, stop)
        np.copyto(allowed, pool.capacity > 0)
        started = False
        for item in self.items:
            if isinstance(item, _Run):
                codes = item.code[start:stop]
                if item.partial is not None:
                    for row, key in zip(scores, codes, strict=True):
                        if started:
                            np.add(row, item.partial[key], out=row)
                        else:
                            np.copyto(row, item.partial[key])
                    started = True
                if item.mask is not None:
                    for row, key in zip(allowed, codes, strict=True):
                        np.logical_and(row, item.mask[key], out=row)
                continue
            weight, enc = pool.weights[item], pool.encoded[item]
            similarity = pool._similarity(enc, rows)
            if enc.criterion.hard:
                allowed &= similarity > 0
            if weight:
                if started:
                    scores += weight * similarity
                else:
                    np.copyto(scores, weight * similarity)
                started = True
        if not started:
            scores[:] = 0
        scores /= np.float32(pool.weight_total)


def score_matrix(
    pool: Pool,
    excluded: Iterable[tuple[int, int]] = (),
    block_rows: int = 512,
) -> tuple[np.ndarray, np.ndarray]:
    """Every mentee against every mentor: (scores, allowed), built block by block.

    Blocks are independent, and NumPy lets go of the GIL while it computes, so they are
    built on every core at once (the pool is only read). The numbers are Pool.block's.
    """
    n, m = len(pool.mentees), len(pool.mentors)
    scores = np.empty((n, m), dtype=np.float32)
    allowed = np.empty((n, m), dtype=bool)
    tables = _Tables(pool)

    def fill(start: int) -> None:
        stop = min(n, start + block_rows)
        tables.fill(start, stop, scores[start:stop], allowed[start:stop])

    in_parallel(fill, range(0, n, block_rows))
    for i, j in excluded:
        allowed[i, j] = False
    return scores, allowed


@dataclass(frozen=True)
class Ranked:
    """One candidate mentor for a mentee: her score and each criterion's similarity."""

    mentor_index: int
    score: float
    similarities: tuple[float, ...]


def rank(
    pool: Pool, mentee_index: int, limit: int = 10, excluded: Iterable[int] = ()
) -> list[Ranked]:
    """The best ``limit`` mentors for one mentee, hard filters applied, best first.

    Ties are broken by the mentor's position in the pool, then made independent of it by
    the caller sorting mentors by id before building the pool.
    """
    rows = np.array([mentee_index])
    similarities = pool.similarities(rows)[:, 0, :]
    scores = (pool.weights[:, None] * similarities).sum(axis=0) / np.float32(pool.weight_total)
    allowed = pool.capacity > 0
    for enc, similarity in zip(pool.encoded, similarities, strict=True):
        if enc.criterion.hard:
            allowed &= similarity > 0
    excluded = list(excluded)
    if excluded:
        allowed[excluded] = False
    candidates = np.flatnonzero(allowed)
    if candidates.size == 0:
        return []
    order = candidates[np.lexsort((candidates, -scores[candidates]))][:limit]
    return [
        Ranked(int(j), float(scores[j]), tuple(float(s) for s in similarities[:, j])) for j in order
    ]
