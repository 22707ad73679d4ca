"""A reason as a sentence, in the viewer's language (the core gives only the facts)."""

from __future__ import annotations

from flask_babel import format_percent
from flask_babel import gettext as _

from mentornet.matching.explain import Reason
from mentornet.people import templating
from mentornet.people.classifications import isced_level_label
from mentornet.people.templating import help_label, language_name, office_label, vocab_label


def _join(labels: list[str]) -> str:
    return ", ".join(labels)


def _label(field: str, key: str) -> str:
    if field == "languages":
        return language_name(key)
    if field == "interests":
        return vocab_label("interest", key)
    if field == "goals":
        return help_label(key)
    return str(key)


def sentence(reason: Reason) -> str:
    facts = reason.facts
    kind, field = reason.kind, reason.field
    if kind == "taxonomy":
        depth, shared = facts.get("depth", 0), facts.get("shared")
        if facts.get("mentee") is None or facts.get("mentor") is None:
            return _("The profession of one of them is not known.")
        if field == "profession":
            if depth >= 4:
                return _(
                    "Both work as %(label)s (ISCO %(code)s).",
                    label=templating.occupation_label(shared).lower(),
                    code=shared,
                )
            if depth >= 1:
                from mentornet.people.classifications import isco

                group = isco().get(shared)
                label = group.label(templating._code()) if group else shared
                return _(
                    "Both work in the same field: %(label)s (ISCO %(code)s).",
                    label=label,
                    code=shared,
                )
            return _("They work in different fields.")
        return (
            _("The same field of education.")
            if depth == len(facts.get("mentee") or "")
            else _("Different fields of education.")
        )
    if kind == "ordinal":
        a, b = facts.get("mentee"), facts.get("mentor")
        if a is None or b is None:
            return _("Not known for one of them.")
        if field == "education_level":
            return _(
                "Her education: %(mentee)s. The mentor's: %(mentor)s.",
                mentee=isced_level_label(int(a), templating._code()),
                mentor=isced_level_label(int(b), templating._code()),
            )
        if field == "business_stage":
            return _(
                "Her business: %(mentee)s. The mentor knows: %(mentor)s.",
                mentee=vocab_label("business_stage", a),
                mentor=vocab_label("business_stage", b),
            )
        return _("%(mentee)s and %(mentor)s.", mentee=a, mentor=b)
    if kind == "overlap":
        shared = [_label(field, x) for x in facts.get("shared", [])]
        missing = [_label(field, x) for x in facts.get("missing", [])]
        if field == "goals":
            if shared and missing:
                return _(
                    "The mentor can help with %(shared)s, not with %(missing)s.",
                    shared=_join(shared),
                    missing=_join(missing),
                )
            if shared:
                return _(
                    "The mentor can help with all she needs: %(shared)s.", shared=_join(shared)
                )
            return _("The mentor offers none of the help she is looking for.")
        if field == "languages":
            return (
                _("They share %(languages)s.", languages=_join(shared))
                if shared
                else _("They have no language in common.")
            )
        if field == "interests":
            return (
                _("Shared interests: %(interests)s.", interests=_join(shared))
                if shared
                else _("No shared interests.")
            )
        return (
            _("In common: %(items)s.", items=_join(shared))
            if shared
            else _("Nothing in common here.")
        )
    if kind == "same":
        a = facts.get("mentee")
        if field == "office":
            return (
                _("Same office: %(office)s.", office=office_label(a))
                if reason.similarity
                else _("Different offices.")
            )
        if field == "sector":
            return (
                _("Same sector: %(sector)s.", sector=vocab_label("sector", a))
                if reason.similarity
                else _("Different sectors.")
            )
        return _("The same answer.") if reason.similarity else _("Different answers.")
    # text
    if not facts.get("has_text"):
        return _("Her wishes or the mentor's story is not written yet.")
    return _(
        "Her wishes and the mentor's story are %(percent)s alike in their words.",
        percent=format_percent(reason.similarity),
    )
