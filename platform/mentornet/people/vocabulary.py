"""The fixed lists participants choose from, with labels in the reader's language.

Keys, not free text, so that matching compares like with like across languages.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

KINDS = ("mentee", "mentor")

STATUSES = ("applied", "interviewed", "ready", "matched", "alumni", "paused", "withdrawn")
STATUS_LABELS = {
    "applied": _l("Applied"),
    "interviewed": _l("Interviewed"),
    "ready": _l("Waiting for a match"),
    "matched": _l("Matched"),
    "alumni": _l("Alumni"),
    "paused": _l("Paused"),
    "withdrawn": _l("Withdrawn"),
}

# A mentee's goals, as the seeds name them: job, education, language, network, self-esteem.
GOALS = {
    "job": _l("Find a job"),
    "job_in_field": _l("Find a job in my own field"),
    "education": _l("Start an education"),
    "language": _l("Improve my language skills"),
    "network": _l("Build a professional and social network"),
    "self_esteem": _l("Gain confidence"),
    "business": _l("Start or grow a business"),
    "society": _l("Understand how society works"),
}

# What a mentor can help with (the tenant may add its own items in its settings).
HELPS_WITH = {
    "job_search": _l("Job search"),
    "cv": _l("CV and applications"),
    "interview_practice": _l("Job interview practice"),
    "network": _l("Opening her network"),
    "language": _l("Language practice"),
    "education_system": _l("The education system"),
    "entrepreneurship": _l("Starting a business"),
    "workplace_culture": _l("Workplace culture"),
}
# Goals and the help that answers them: the matching engine's overlap criterion.
GOAL_HELP = {
    "job": ("job_search", "cv", "interview_practice", "network"),
    "job_in_field": ("job_search", "cv", "interview_practice", "network"),
    "education": ("education_system",),
    "language": ("language",),
    "network": ("network",),
    "self_esteem": ("workplace_culture", "interview_practice"),
    "business": ("entrepreneurship",),
    "society": ("workplace_culture", "education_system"),
}

INTERESTS = {
    "children": _l("Children and family life"),
    "sports": _l("Sports and exercise"),
    "outdoors": _l("Nature and the outdoors"),
    "culture": _l("Art, film and theatre"),
    "music": _l("Music"),
    "reading": _l("Books and writing"),
    "cooking": _l("Cooking and food"),
    "crafts": _l("Crafts and design"),
    "technology": _l("Technology"),
    "travel": _l("Travel"),
    "volunteering": _l("Volunteering and associations"),
    "politics": _l("Society and politics"),
}

# ISIC Rev. 4 sections, the usual short names: the sector a mentor works in or a business is in.
SECTORS = {
    "agriculture": _l("Agriculture, forestry and fishing"),
    "manufacturing": _l("Manufacturing"),
    "energy": _l("Energy and utilities"),
    "construction": _l("Construction"),
    "trade": _l("Wholesale and retail trade"),
    "transport": _l("Transport and logistics"),
    "hospitality": _l("Hotels, restaurants and tourism"),
    "ict": _l("Information and communication"),
    "finance": _l("Finance and insurance"),
    "real_estate": _l("Real estate"),
    "professional": _l("Professional, scientific and technical services"),
    "administrative": _l("Administrative and support services"),
    "public": _l("Public administration"),
    "education": _l("Education"),
    "health": _l("Health and social work"),
    "arts": _l("Arts, entertainment and recreation"),
    "other_services": _l("Other services"),
    "crafts_textiles": _l("Crafts and textiles"),
}

# The stages of a business, in order (the ordinal criterion compares positions).
BUSINESS_STAGES = {
    "idea": _l("An idea"),
    "starting": _l("Just started (under a year)"),
    "early": _l("Early (one to three years)"),
    "growing": _l("Growing"),
    "established": _l("Established"),
}

# Languages people list most in the programmes; ISO 639-1 codes, named by Babel.
LANGUAGES = (
    "da",
    "en",
    "ar",
    "fa",
    "ps",
    "ku",
    "so",
    "ti",
    "uk",
    "ru",
    "pl",
    "tr",
    "ur",
    "zh",
    "es",
    "pt",
    "fr",
    "de",
    "nb",
    "sv",
    "is",
    "fi",
    "ro",
    "vi",
    "th",
    "tl",
    "hi",
    "ta",
    "bs",
    "sq",
    "am",
    "sw",
    "ne",
    "bn",
)
