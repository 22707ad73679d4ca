"""The plans a programme can be on, and what each one allows.

A plan limits one thing only: how many mentorships are open at once. A mentorship counts
from the moment it is proposed until it closes (see ``cycles.lifecycle.OPEN_STATES``), so
closing or declining a pair frees its place. Everything else works on every plan.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import format_currency
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

CURRENCY = "EUR"


@dataclass(frozen=True)
class Plan:
    key: str
    name: LazyString
    # Whole units of CURRENCY a month, for the page only: Stripe's price is what is charged.
    monthly_price: int | None
    # None: no limit.
    max_open_mentorships: int | None

    @property
    def is_paid(self) -> bool:
        return self.monthly_price is not None

    def allows(self, open_mentorships: int) -> bool:
        """Whether one more mentorship may be proposed with this many already open."""
        return self.max_open_mentorships is None or open_mentorships < self.max_open_mentorships

    def price_label(self) -> str:
        if self.monthly_price is None:
            return _("Free")
        amount = format_currency(self.monthly_price, CURRENCY)
        return _("%(price)s a month", price=amount)

    def limit_label(self) -> str:
        if self.max_open_mentorships is None:
            return _("Any number of open mentorships")
        return _("Up to %(limit)d open mentorships", limit=self.max_open_mentorships)

    def price_id(self) -> str | None:
        """The Stripe price this plan is sold at, from STRIPE_PRICE_<KEY>; None if not sold."""
        if not self.is_paid:
            return None
        return current_app.config.get(f"STRIPE_PRICE_{self.key.upper()}") or None


PILOT = Plan("pilot", _l("Pilot"), None, 20)
PROGRAMME = Plan("programme", _l("Programme"), 79, 150)
NETWORK = Plan("network", _l("Network"), 199, None)

PLANS: tuple[Plan, ...] = (PILOT, PROGRAMME, NETWORK)
_BY_KEY = {plan.key: plan for plan in PLANS}


def plan_by_key(key: str | None) -> Plan:
    """The plan of this key; an unknown key (a plan since withdrawn) counts as Pilot."""
    return _BY_KEY.get(key or "", PILOT)


def is_plan(key: str | None) -> bool:
    return key in _BY_KEY


def plan_for_price(price_id: str | None) -> Plan | None:
    """The paid plan sold at this Stripe price, if any."""
    if not price_id:
        return None
    return next((p for p in PLANS if p.is_paid and p.price_id() == price_id), None)


def paid_plans_on_sale() -> list[Plan]:
    return [p for p in PLANS if p.is_paid and p.price_id()]
