"""The matching engine, shared by every tenant: criteria, scores, explanations, assignment.

Plain Python and NumPy/SciPy: nothing here imports Flask or the database, so the rules
can be read, tested and benchmarked on their own. ``services.py`` (outside this core)
loads participants, calls these functions and stores what the coordinator decides.
"""

from mentornet.matching.assignment import Assignment, assign, greedy_assign
from mentornet.matching.profiles import Criterion, Profile
from mentornet.matching.scoring import Pool, Ranked, rank, score_matrix

__all__ = [
    "Assignment",
    "Criterion",
    "Pool",
    "Profile",
    "Ranked",
    "assign",
    "greedy_assign",
    "rank",
    "score_matrix",
]
