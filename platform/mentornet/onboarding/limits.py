"""How many programmes one address may start: a brake on scripted sign-ups at /start.

Only a keyed hash of the address is kept (as the join form's limit does), and only what
the limit needs: when a complete, valid sign-up was tried. Rows older than a day mean
nothing to the limit; each attempt clears them.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from mentornet.dbtypes import utcnow
from mentornet.extensions import db
from mentornet.onboarding.models import StartAttempt

STARTS_PER_HOUR = 5


def address_hash(address: str) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, f"start|{address}".encode(), hashlib.sha256).hexdigest()


def allow_start(address: str, now: datetime | None = None) -> bool:
    """Count this attempt; False once the address started STARTS_PER_HOUR in the hour.

    Runs in its own transaction, so a refused or failed sign-up still counts.
    """
    now = now or utcnow()
    digest = address_hash(address)
    with db.engine.begin() as conn:
        conn.execute(
            delete(StartAttempt.__table__).where(StartAttempt.created_at < now - timedelta(days=1))
        )
        recent = conn.scalar(
            select(func.count())
            .select_from(StartAttempt.__table__)
            .where(
                StartAttempt.address_hash == digest,
                StartAttempt.created_at >= now - timedelta(hours=1),
            )
        )
        if (recent or 0) >= STARTS_PER_HOUR:
            return False
        conn.execute(StartAttempt.__table__.insert().values(address_hash=digest, created_at=now))
    return True
