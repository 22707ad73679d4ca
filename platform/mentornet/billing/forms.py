"""The billing page's buttons: each a small form, so each carries its CSRF token."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import DataRequired


class CheckoutForm(FlaskForm):
    """Subscribe to one paid plan (its key in a hidden field)."""

    plan = HiddenField(validators=[DataRequired()])


class PortalForm(FlaskForm):
    """Open Stripe's customer portal: cards, invoices, plan changes, cancellation."""
