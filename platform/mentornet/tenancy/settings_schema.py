"""The tenant settings schema: what each programme may configure, validated.

Plain pydantic, no Flask: the same schema checks the TOML presets, the admin forms and
the API. Every error carries the key path (``cycle.phases[1].months``) and the reason.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

# The locales Mentornet ships catalogues for; a tenant enables some of them.
SUPPORTED_LOCALES = ("en", "da", "nb", "is", "fi", "sv", "fr", "ar")
KEY_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"

Key = Annotated[str, Field(pattern=KEY_PATTERN, description="lower-case key: a-z, 0-9, _")]
# Text per locale, e.g. {"da": "...", "en": "..."}; the default locale is required.
LocalText = dict[str, Annotated[str, Field(min_length=1, max_length=5000)]]

INTAKE_KINDS = ("text", "long_text", "single_choice", "multiple_choice", "number", "date", "yes_no")
CRITERION_KINDS = ("same", "taxonomy", "ordinal", "overlap", "text")

# Which participant fields the matching engine can compare, and with which kinds.
CRITERION_FIELDS: dict[str, tuple[str, ...]] = {
    "profession": ("taxonomy", "same"),
    "education_level": ("ordinal", "same"),
    "education_field": ("same", "taxonomy"),
    "goals": ("overlap",),
    "interests": ("overlap",),
    "languages": ("overlap",),
    "office": ("same",),
    "sector": ("same", "overlap"),
    "business_stage": ("ordinal", "same"),
    "story": ("text",),
}
MEETING_KINDS = ("face_to_face", "phone", "online", "email")

# Profile fields a tenant may choose to collect, beyond the name, contact, office,
# languages and preferred language that every form asks for. Nothing else exists.
PROFILE_FIELDS = {
    "both": (
        "phone",
        "profession",
        "education_level",
        "education_field",
        "interests",
        "story",
        "sector",
        "business_stage",
    ),
    "mentee": ("goals", "wishes", "country_of_origin", "arrival_year", "date_of_birth"),
    "mentor": ("helps_with", "capacity", "availability"),
}
ALL_PROFILE_FIELDS = tuple(f for group in PROFILE_FIELDS.values() for f in group)
# A criterion on these fields needs them collected (goals are compared with helps_with).
_CRITERION_NEEDS = {"goals": ("goals", "helps_with"), "story": ("story", "wishes")}


class Problems(ValueError):
    """Several problems found by one cross-field check, each at its own key path.

    Pydantic files a model validator's error under the model's location; raising this
    keeps each problem's real path (``offices[1].name``), and all of them at once.
    """

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{path}: {reason}" for path, reason in problems))


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Choice(Strict):
    key: Key
    label: LocalText


class Value(Strict):
    title: LocalText
    text: LocalText


class Office(Strict):
    key: Key
    name: LocalText
    city: str | None = None


class IntakeQuestion(Strict):
    key: Key
    kind: Literal[INTAKE_KINDS]  # type: ignore[valid-type]
    audience: Literal["mentee", "mentor", "both"] = "both"
    label: LocalText
    help: LocalText = Field(default_factory=dict)
    required: bool = False
    choices: list[Choice] = Field(default_factory=list)
    retired: bool = False

    @model_validator(mode="after")
    def _choices_match_kind(self) -> IntakeQuestion:
        needs_choices = self.kind in ("single_choice", "multiple_choice")
        if needs_choices and len(self.choices) < 2:
            raise ValueError(f"a {self.kind} question needs at least two choices")
        if not needs_choices and self.choices:
            raise ValueError(f"a {self.kind} question takes no choices")
        _unique([c.key for c in self.choices], "choice key")
        return self


class Criterion(Strict):
    key: Key
    field: str
    kind: Literal[CRITERION_KINDS]  # type: ignore[valid-type]
    weight: float = Field(ge=0, le=100)
    hard: bool = False
    label: LocalText

    @model_validator(mode="after")
    def _kind_fits_field(self) -> Criterion:
        if self.field.startswith("intake."):
            if self.kind not in ("same", "overlap", "ordinal"):
                raise ValueError(
                    f"an intake answer can be compared with same, overlap or "
                    f"ordinal, not {self.kind}"
                )
            return self
        allowed = CRITERION_FIELDS.get(self.field)
        if allowed is None:
            known = ", ".join(sorted(CRITERION_FIELDS))
            raise ValueError(f"unknown field {self.field!r}; known fields: {known}, intake.<key>")
        if self.kind not in allowed:
            raise ValueError(
                f"field {self.field!r} is compared with {' or '.join(allowed)}, not {self.kind}"
            )
        return self


class Profile(Strict):
    """What the forms collect: privacy by design, only what the programme needs."""

    fields: list[str] = Field(default_factory=lambda: list(ALL_PROFILE_FIELDS))
    help_items: list[Choice] = Field(
        default_factory=list, description="the tenant's own items a mentor can help with"
    )

    @field_validator("fields")
    @classmethod
    def _known_fields(cls, value: list[str]) -> list[str]:
        for name in value:
            if name not in ALL_PROFILE_FIELDS:
                raise ValueError(
                    f"unknown profile field {name!r}; known: {', '.join(ALL_PROFILE_FIELDS)}"
                )
        _unique(value, "profile field")
        return value


class ConsentNotice(Strict):
    """A notice she agrees to, per purpose; a new wording needs a new version."""

    purpose: Key
    version: str = Field(pattern=r"^[A-Za-z0-9._-]{1,40}$")
    required: bool = False
    title: LocalText
    text: LocalText


class Matching(Strict):
    criteria: list[Criterion] = Field(min_length=1)
    min_score: float = Field(default=0.3, ge=0, le=1)
    waiting_bonus_per_month: float = Field(default=0.0, ge=0, le=0.1)

    @model_validator(mode="after")
    def _weights(self) -> Matching:
        _unique([c.key for c in self.criteria], "criterion key")
        if not any(c.weight > 0 for c in self.criteria):
            raise ValueError("at least one criterion needs a weight above 0")
        return self


class Phase(Strict):
    key: Key
    name: LocalText
    months: float = Field(gt=0, le=60)


class AgreementMinimum(Strict):
    kind: Literal["minutes_per_month", "total_hours"]
    value: int = Field(gt=0, le=10_000)
    meeting_kinds: list[Literal[MEETING_KINDS]] = Field(  # type: ignore[valid-type]
        default_factory=lambda: ["face_to_face"], min_length=1
    )


class FollowUps(Strict):
    first_after_weeks: int = Field(ge=1, le=52)
    every_weeks: int = Field(ge=1, le=52)
    at_closing: bool = True


class CycleTemplate(Strict):
    months: float = Field(gt=0, le=60, description="expected length of a cycle")
    first_meeting: Literal["mentee_led", "facilitated", "either"] = "either"
    phases: list[Phase] = Field(min_length=1)
    agreement_minimum: AgreementMinimum
    follow_ups: FollowUps
    silent_after_weeks: int = Field(
        default=6, ge=1, le=52, description="weeks without a meeting before a pair counts as silent"
    )

    @model_validator(mode="after")
    def _phases(self) -> CycleTemplate:
        _unique([p.key for p in self.phases], "phase key")
        total = sum(p.months for p in self.phases)
        if abs(total - self.months) > 0.01:
            raise ValueError(f"the phases add up to {total:g} months, the cycle to {self.months:g}")
        return self


class Reports(Strict):
    federation: bool = Field(
        default=False,
        description="share anonymised yearly figures with the sister programmes that share "
        "theirs, and see theirs",
    )


class TenantSettings(Strict):
    name: str = Field(min_length=2, max_length=200)
    country: str = Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2")
    locales: list[str] = Field(min_length=1)
    target_group: LocalText
    values: list[Value] = Field(default_factory=list)
    offices: list[Office] = Field(min_length=1)
    intake_questions: list[IntakeQuestion] = Field(default_factory=list)
    matching: Matching
    cycle: CycleTemplate
    retention_months: int = Field(ge=1, le=240)
    profile: Profile = Field(default_factory=Profile)
    consent_notices: list[ConsentNotice] = Field(default_factory=list)
    reports: Reports = Field(default_factory=Reports)

    @field_validator("locales")
    @classmethod
    def _known_locales(cls, value: list[str]) -> list[str]:
        for locale in value:
            if locale not in SUPPORTED_LOCALES:
                raise ValueError(
                    f"{locale!r} is not a supported locale ({', '.join(SUPPORTED_LOCALES)})"
                )
        _unique(value, "locale")
        return value

    @model_validator(mode="after")
    def _cross_checks(self) -> TenantSettings:
        problems: list[tuple[str, str]] = []
        for path, keys, what in (
            ("offices", [o.key for o in self.offices], "office key"),
            ("intake_questions", [q.key for q in self.intake_questions], "question key"),
        ):
            for index, key in _duplicates(keys):
                problems.append((f"{path}[{index}].key", f"{what} {key!r} appears twice"))
        for index, key in _duplicates([n.purpose for n in self.consent_notices]):
            problems.append((f"consent_notices[{index}].purpose", f"{key!r} appears twice"))
        questions = {q.key: q for q in self.intake_questions}
        collected = set(self.profile.fields)
        for index, criterion in enumerate(self.matching.criteria):
            needs = _CRITERION_NEEDS.get(criterion.field, (criterion.field,))
            missing = [f for f in needs if f in ALL_PROFILE_FIELDS and f not in collected]
            if missing:
                problems.append(
                    (
                        f"matching.criteria[{index}].field",
                        f"compares {', '.join(missing)}, which profile.fields does not collect",
                    )
                )
            if criterion.field.startswith("intake."):
                problem = _intake_criterion_problem(criterion, questions.get(criterion.field[7:]))
                if problem:
                    problems.append((f"matching.criteria[{index}].field", problem))
        for path, text in local_texts(self.model_dump(), ""):
            for locale in text:
                if locale not in self.locales:
                    problems.append((path, f"{locale!r} is not one of the tenant's locales"))
            if self.locales[0] not in text:
                problems.append((path, f"the default locale {self.locales[0]!r} is missing"))
        if problems:
            raise Problems(problems)
        return self

    @property
    def default_locale(self) -> str:
        return self.locales[0]


_LOCAL_TEXT_KEYS = {"target_group", "title", "text", "name", "label", "help"}


def local_texts(data: Any, path: str):
    """Yield (path, {locale: text}) for every per-locale text in dumped settings."""
    if isinstance(data, dict):
        for key, value in data.items():
            sub = f"{path}.{key}" if path else key
            if key in _LOCAL_TEXT_KEYS and isinstance(value, dict):
                if key == "help" and not value:
                    continue
                yield sub, value
            else:
                yield from local_texts(value, sub)
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from local_texts(item, f"{path}[{index}]")


def _duplicates(keys: list[str]) -> list[tuple[int, str]]:
    seen: set[str] = set()
    repeated = []
    for index, key in enumerate(keys):
        if key in seen:
            repeated.append((index, key))
        seen.add(key)
    return repeated


# Which intake question kinds each comparison makes sense for.
_INTAKE_KINDS_BY_CRITERION = {
    "same": ("single_choice", "yes_no", "number", "text"),
    "overlap": ("multiple_choice",),
    "ordinal": ("single_choice", "number"),
}


def _intake_criterion_problem(criterion: Criterion, question: IntakeQuestion | None) -> str:
    if question is None:
        return f"there is no intake question {criterion.field[7:]!r}"
    if question.retired:
        return f"intake question {question.key!r} is retired"
    allowed = _INTAKE_KINDS_BY_CRITERION[criterion.kind]
    if question.kind not in allowed:
        return (
            f"a {question.kind} question cannot be compared with {criterion.kind} "
            f"(it needs {', '.join(allowed)})"
        )
    return ""


def _unique(keys: list[str], what: str) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise ValueError(f"{what} {key!r} appears twice")
        seen.add(key)


def localized(text: dict[str, str], locale: str, default_locale: str) -> str:
    """The text in ``locale``, else in the tenant's default, else any."""
    if locale in text:
        return text[locale]
    if default_locale in text:
        return text[default_locale]
    return next(iter(text.values()), "")


class SettingsError(ValueError):
    """Settings that do not validate; ``problems`` lists (key path, reason)."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{path}: {reason}" for path, reason in problems))


def format_location(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not re.fullmatch(r"[A-Za-z_][\w.-]*", str(part)) or str(part).startswith("function-"):
            continue  # pydantic's own labels for union branches and validators
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def validate_settings(data: dict[str, Any]) -> TenantSettings:
    """Validate raw settings; raise :class:`SettingsError` naming each bad key."""
    try:
        return TenantSettings.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            located = (error.get("ctx") or {}).get("error")
            if isinstance(located, Problems):
                problems.extend(located.problems)
                continue
            message = error["msg"]
            if message.startswith("Value error, "):
                message = message[len("Value error, ") :]
            problems.append((format_location(error["loc"]), message))
        raise SettingsError(problems) from None
