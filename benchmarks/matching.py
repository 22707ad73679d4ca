"""Matching benchmark: pool build, ranking, batch assignment, memory and quality.

Run by hand (results and machine go in benchmarks/README.md):

    .venv/bin/python benchmarks/matching.py --sizes 1000 5000 20000 --seed 1

Each size runs in a fresh subprocess, so memory peaks do not mix. The population is
synthetic but shaped like a real programme (the Denmark preset): ISCO-08 professions with
a few popular fields, education levels, goals and the help that answers them, interests,
languages with Danish common, two offices, and short texts from word banks.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

from mentornet.matching import assignment as assignment_module
from mentornet.matching.assignment import _dense, assign, greedy_assign, values_from
from mentornet.matching.profiles import GOAL_HELP, Criterion, Profile
from mentornet.matching.scoring import Pool, rank, score_matrix

# --- the Denmark preset (tenants/denmark.toml, [matching]) --------------------------------

MIN_SCORE = 0.35
BONUS_PER_MONTH = 0.01
CRITERIA = (
    Criterion("profession", "profession", "taxonomy", 30),
    Criterion("education_level", "education_level", "ordinal", 15),
    Criterion("goals", "goals", "overlap", 25),
    Criterion("interests", "interests", "overlap", 10),
    Criterion("languages", "languages", "overlap", 5, hard=True),
    Criterion("office", "office", "same", 0, hard=True),
    Criterion("story", "story", "text", 15),
)

# --- a synthetic population ---------------------------------------------------------------

# ISCO-08 major groups and how many unit groups each contributes (120 in all).
MAJOR_GROUPS = {"2": 40, "3": 30, "4": 15, "5": 20, "7": 15}
GOALS = tuple(GOAL_HELP)
HELP_ITEMS = tuple(sorted({item for items in GOAL_HELP.values() for item in items}))
INTERESTS = (
    "children", "cooking", "culture", "family", "gardening", "hiking",
    "literature", "music", "politics", "running", "sewing", "volunteering",
)  # fmt: skip
LANGUAGES = ("da", "en", "ar", "fa", "so", "uk", "pl", "tr", "ur", "ti")
OFFICES = ("copenhagen", "odense")

FIELD_WORDS = {
    "2": (
        "engineer", "nurse", "doctor", "teacher", "architect", "pharmacist", "research",
        "software", "hospital", "laboratory", "accounting", "lawyer", "biology", "design",
    ),
    "3": (
        "technician", "assistant", "laboratory", "construction", "electrical", "dental",
        "finance", "logistics", "healthcare", "network", "installation", "quality",
    ),
    "4": (
        "office", "secretary", "reception", "administration", "bookkeeping", "archive",
        "customer", "records", "payroll", "planning",
    ),
    "5": (
        "shop", "sales", "care", "childcare", "kitchen", "restaurant", "hairdresser",
        "elderly", "cleaning", "hotel", "cashier",
    ),
    "7": (
        "tailor", "carpenter", "baker", "welding", "electrician", "painter", "mechanic",
        "textile", "workshop", "plumbing",
    ),
}  # fmt: skip
GOAL_WORDS = (
    "job", "career", "network", "education", "danish", "language", "confidence", "business",
    "interview", "application", "cv", "workplace", "culture", "society", "contacts",
)  # fmt: skip
COMMON_WORDS = (
    "i", "want", "to", "find", "my", "work", "in", "denmark", "help", "with", "and", "new",
    "experience", "years", "learn", "from", "share", "life", "family", "children", "city",
    "arbejde", "uddannelse", "netværk", "sprog", "erfaring", "hjælpe", "kvinder", "fag",
)  # fmt: skip


def _zipf(count: int, exponent: float) -> np.ndarray:
    weights = 1.0 / np.arange(1, count + 1) ** exponent
    return weights / weights.sum()


def isco_codes(rng: np.random.Generator) -> list[str]:
    """120 unit groups in a few major groups, sharing sub-major and minor groups."""
    codes: list[str] = []
    for major, count in MAJOR_GROUPS.items():
        chosen: set[str] = set()
        while len(chosen) < count:
            sub, minor, unit = rng.integers(1, 5), rng.integers(1, 5), rng.integers(1, 7)
            chosen.add(f"{major}{sub}{minor}{unit}")
        codes.extend(sorted(chosen))
    order = rng.permutation(len(codes))  # popularity rank, independent of the code
    return [codes[i] for i in order]


def _pick(rng: np.random.Generator, items: tuple[str, ...], low: int, high: int, p=None):
    size = int(rng.integers(low, high + 1))
    return tuple(str(x) for x in rng.choice(items, size=min(size, len(items)), replace=False, p=p))


def _text(rng: np.random.Generator, field: tuple[str, ...], extra: tuple[str, ...]) -> str:
    words = []
    for _ in range(int(rng.integers(8, 19))):
        draw = rng.random()
        bank = field if draw < 0.4 else extra if draw < 0.65 else COMMON_WORDS
        words.append(bank[int(rng.integers(len(bank)))])
    return " ".join(words)


def _languages(rng: np.random.Generator, p_danish: float) -> tuple[str, ...]:
    languages = ["da"] if rng.random() < p_danish else []
    others = [x for x in LANGUAGES if x != "da"]
    p = _zipf(len(others), 1.0)
    wanted = int(rng.integers(1, 4)) - len(languages)
    if wanted > 0 or not languages:
        languages += list(rng.choice(others, size=max(1, wanted), replace=False, p=p))
    return tuple(str(x) for x in languages)


def population(
    n_mentees: int, n_mentors: int, seed: int
) -> tuple[list[Profile], list[Profile], np.ndarray]:
    """Mentees, mentors, and the mentees' waiting bonus (0.01 a month waited)."""
    rng = np.random.default_rng(seed)
    codes = isco_codes(rng)
    mentee_p = _zipf(len(codes), 1.1)
    mentor_p = _zipf(len(codes), 0.9)
    goal_p = np.array([5, 6, 3, 3, 2, 2, 1, 1], dtype=float)
    goal_p /= goal_p.sum()

    def person(i: int, mentor: bool) -> Profile:
        code = codes[int(rng.choice(len(codes), p=mentor_p if mentor else mentee_p))]
        field = FIELD_WORDS[code[0]]
        if mentor:
            level = int(rng.choice(np.arange(2, 9), p=[0.02, 0.08, 0.1, 0.15, 0.3, 0.3, 0.05]))
            helps = _pick(rng, HELP_ITEMS, 2, 5)
            return Profile(
                id=100_000_000 + i,
                office=OFFICES[int(rng.random() < 0.3)],
                languages=_languages(rng, 0.97),
                profession=code,
                education_level=level,
                interests=_pick(rng, INTERESTS, 0, 4),
                helps_with=helps,
                text=_text(rng, field, tuple(h.replace("_", " ") for h in helps)),
                free_capacity=1,
            )
        level = int(rng.choice(np.arange(2, 9), p=[0.05, 0.15, 0.2, 0.2, 0.25, 0.12, 0.03]))
        return Profile(
            id=i,
            office=OFFICES[int(rng.random() < 0.3)],
            languages=_languages(rng, 0.7),
            profession=code,
            education_level=level,
            interests=_pick(rng, INTERESTS, 0, 4),
            goals=_pick(rng, GOALS, 1, 3, p=goal_p),
            text=_text(rng, field, GOAL_WORDS),
            days_waiting=int(rng.integers(0, 366)),
        )

    mentees = [person(i, False) for i in range(n_mentees)]
    mentors = [person(i, True) for i in range(n_mentors)]
    bonus = BONUS_PER_MONTH * np.array([p.days_waiting for p in mentees]) / 30.44
    return mentees, mentors, bonus.astype(np.float32)


# --- greedy, the same algorithm as greedy_assign, without a Python step per allowed pair --


def banded_greedy(values: np.ndarray, capacity: np.ndarray) -> tuple[list[tuple[int, int]], float]:
    """greedy_assign's result (best remaining pair first, ties by row-major position).

    Pairs are taken in value bands, highest first, each band restricted to mentees still
    free and mentors with places left and sorted like greedy_assign; every pair of a later
    band is worth less than every pair of an earlier one, so the order is the same.
    """
    n = values.shape[0]
    capacity = np.asarray(capacity, dtype=np.int64).copy()
    taken = np.zeros(n, dtype=bool)
    pairs: list[tuple[int, int]] = []
    finite = values[~np.isnan(values)]
    if not finite.size:
        return [], 0.0
    upper = np.inf
    edges = np.quantile(finite[:: max(1, finite.size // 1_000_000)], [0.999, 0.99, 0.95, 0.8])
    for lower in [*edges, -np.inf]:
        free_rows = np.flatnonzero(~taken)
        free_cols = np.flatnonzero(capacity > 0)
        if not free_rows.size or not free_cols.size:
            break
        sub = values[np.ix_(free_rows, free_cols)]
        with np.errstate(invalid="ignore"):
            r, c = np.nonzero((sub >= lower) & (sub < upper))
        order = np.argsort(-sub[r, c], kind="stable")
        for i, j in zip(free_rows[r[order]].tolist(), free_cols[c[order]].tolist(), strict=True):
            if not taken[i] and capacity[j] > 0:
                taken[i] = True
                capacity[j] -= 1
                pairs.append((i, j))
        upper = lower
    pairs.sort()
    return pairs, exact_total(values, pairs)


def exact_total(values: np.ndarray, pairs: list[tuple[int, int]]) -> float:
    """The sum of the pairs' values in float64 (Assignment.total is summed in float32)."""
    if not pairs:
        return 0.0
    rows, cols = np.array(pairs).T
    return float(values[rows, cols].astype(np.float64).sum())


# --- one size, in its own process ---------------------------------------------------------


# Where assign() spends its time on the sparse path: these helpers are looked up in the
# module at each call, so wrapping them here times them without touching the engine.
PHASES = ("_initial_candidates", "_solve_sparse", "_potentials", "_Violations.find")


def _time_phases() -> dict[str, float]:
    spent = dict.fromkeys(PHASES, 0.0)

    def timed(name, function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - start

        return wrapper

    for name in PHASES:
        owner: object = assignment_module
        *path, attribute = name.split(".")
        for part in path:
            owner = getattr(owner, part)
        setattr(owner, attribute, timed(name, getattr(owner, attribute)))
    return spent


def _max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _rank_times(pool: Pool, samples: int = 50) -> dict[str, float]:
    n = len(pool.mentees)
    indices = np.linspace(0, n - 1, samples).astype(int)
    rank(pool, int(indices[0]), limit=10)  # warm-up
    times = []
    for i in indices:
        start = time.perf_counter()
        rank(pool, int(i), limit=10)
        times.append((time.perf_counter() - start) * 1000)
    return {
        "rank_median_ms": statistics.median(times),
        "rank_p95_ms": float(np.percentile(times, 95)),
        "rank_samples": len(times),
    }


def run_ranking(n_mentees: int, n_mentors: int, seed: int) -> dict:
    load = os.getloadavg()[0]
    mentees, mentors, _bonus = population(n_mentees, n_mentors, seed)
    start = time.perf_counter()
    pool = Pool(mentees, mentors, CRITERIA)
    build = time.perf_counter() - start
    return {
        "mentees": n_mentees,
        "mentors": n_mentors,
        "build_s": build,
        "load_before": load,
        **_rank_times(pool),
    }


def run_size(n: int, seed: int, dense: bool, check_greedy: bool) -> dict:
    result: dict = {"n": n, "load_before": os.getloadavg()[0]}
    phases = _time_phases()
    mentees, mentors, bonus = population(n, n, seed)

    start = time.perf_counter()
    pool = Pool(mentees, mentors, CRITERIA)
    result["build_s"] = time.perf_counter() - start
    result.update(_rank_times(pool))

    tracemalloc.start()
    tracemalloc.reset_peak()
    cpu_start = time.process_time()
    start = time.perf_counter()
    scores, allowed = score_matrix(pool)
    after_scores = time.perf_counter()
    values = values_from(scores, allowed, MIN_SCORE, bonus)
    after_values = time.perf_counter()
    assignment = assign(values, pool.capacity)
    end = time.perf_counter()
    result["batch_cpu_s"] = time.process_time() - cpu_start
    result["tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    result["max_rss_mb"] = _max_rss_mb()
    result.update(
        score_matrix_s=after_scores - start,
        values_s=after_values - after_scores,
        assign_s=end - after_values,
        batch_s=end - start,
        allowed_share=float(allowed.mean()),
        candidate_share=float((~np.isnan(values)).mean()),
        method=assignment.method,
        rounds=assignment.rounds,
        proved_optimal=assignment.proved_optimal,
        candidate_pairs=assignment.candidate_pairs,
        total=exact_total(values, assignment.pairs),
        reported_total=assignment.total,
        matched=len(assignment.pairs) / n,
        assign_phases_s=dict(phases),
        load_after=os.getloadavg()[0],
    )
    del scores, allowed

    start = time.perf_counter()
    greedy_pairs, _ = banded_greedy(values, pool.capacity)
    result["greedy_s"] = time.perf_counter() - start
    if check_greedy:  # the banded greedy is greedy_assign, only faster
        reference = greedy_assign(values, pool.capacity)
        assert reference.pairs == greedy_pairs, "banded greedy differs from greedy_assign"
    result["greedy_total"] = exact_total(values, greedy_pairs)
    result["greedy_matched"] = len(greedy_pairs) / n
    if dense:
        start = time.perf_counter()
        optimum = _dense(values, pool.capacity)
        result["dense_s"] = time.perf_counter() - start
        result["dense_total"] = exact_total(values, optimum.pairs)
    return result


# --- driver -------------------------------------------------------------------------------


def _child(args: list[str]) -> dict:
    command = [sys.executable, __file__, *args]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"benchmark child failed: {' '.join(args)}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _fmt(value, spec: str = ".2f") -> str:
    return "—" if value is None else format(value, spec)


def tables(sizes: list[dict], ranking: dict | None) -> str:
    lines = [
        "| N x N | pool build (s) | rank median / p95 (ms) | batch (s) | batch CPU (s) "
        "| score_matrix (s) | assign (s) | tracemalloc peak (MB) | max RSS (MB) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in sizes:
        lines.append(
            f"| {r['n']:,} | {r['build_s']:.2f} | {r['rank_median_ms']:.2f} / "
            f"{r['rank_p95_ms']:.2f} | {r['batch_s']:.2f} | {r['batch_cpu_s']:.2f} "
            f"| {r['score_matrix_s']:.2f} "
            f"| {r['assign_s']:.2f} | {r['tracemalloc_peak_mb']:,.0f} | {r['max_rss_mb']:,.0f} |"
        )
    if ranking:
        lines.append(
            f"| {ranking['mentees']} x {ranking['mentors']:,} (ranking only) "
            f"| {ranking['build_s']:.2f} | {ranking['rank_median_ms']:.2f} / "
            f"{ranking['rank_p95_ms']:.2f} | | | | | | |"
        )
    lines += [
        "",
        "| N x N | method | rounds | proved optimal | candidate pairs | allowed pairs "
        "| matched | total | Assignment.total error | dense optimum | gap to optimum "
        "| vs greedy | greedy matched |",
        "|---:|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in sizes:
        dense = r.get("dense_total")
        gap = None if dense is None else dense - r["total"]
        lines.append(
            f"| {r['n']:,} | {r['method']} | {r['rounds']} | {r['proved_optimal']} "
            f"| {r['candidate_pairs']:,} | {r['candidate_share']:.1%} | {r['matched']:.1%} "
            f"| {r['total']:.4f} | {r['reported_total'] - r['total']:+.1e} "
            f"| {_fmt(dense, '.4f')} | {_fmt(gap, '.1e')} "
            f"| {r['total'] / r['greedy_total']:.4f} | {r['greedy_matched']:.1%} |"
        )
    lines += [
        "",
        "| N x N | assign (s) | initial candidates | LAPMOD solves | potentials "
        "| violation checks | rest |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in sizes:
        phases = r["assign_phases_s"]
        rest = r["assign_s"] - sum(phases.values())
        cells = " | ".join(f"{phases[name]:.2f}" for name in PHASES)
        lines.append(f"| {r['n']:,} | {r['assign_s']:.2f} | {cells} | {rest:.2f} |")
    loads = [f"{r['n']:,}: {r['load_before']:.1f}" for r in sizes]
    if ranking:
        loads.append(f"ranking: {ranking['load_before']:.1f}")
    lines += ["", f"1-minute load average when each run started: {', '.join(loads)}."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dense-5000", action="store_true", help="also solve 5,000 densely")
    parser.add_argument("--rank-mentors", type=int, default=10_000, help="0 to skip")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--rank-worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        dense = args.worker <= 1000 or (args.worker <= 5000 and args.dense_5000)
        print(json.dumps(run_size(args.worker, args.seed, dense, args.worker <= 5000)))
        return
    if args.rank_worker:
        print(json.dumps(run_ranking(50, args.rank_worker, args.seed)))
        return

    common = ["--seed", str(args.seed)] + (["--dense-5000"] if args.dense_5000 else [])
    sizes = []
    for n in args.sizes:
        print(f"N = {n:,} ...", file=sys.stderr, flush=True)
        sizes.append(_child(["--worker", str(n), *common]))
        print(json.dumps(sizes[-1]), file=sys.stderr, flush=True)
    ranking = None
    if args.rank_mentors:
        print(f"ranking over {args.rank_mentors:,} mentors ...", file=sys.stderr, flush=True)
        ranking = _child(["--rank-worker", str(args.rank_mentors), *common])
        print(json.dumps(ranking), file=sys.stderr, flush=True)
    if args.json:
        args.json.write_text(json.dumps({"sizes": sizes, "ranking": ranking}, indent=2) + "\n")
    print(tables(sizes, ranking))


if __name__ == "__main__":
    main()
