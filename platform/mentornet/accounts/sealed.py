"""Secrets Mentornet must keep and use later (an identity provider's client secret),
sealed at rest with a key derived from SECRET_KEY, so a copy of the database alone does
not give them away. Changing SECRET_KEY breaks the seal: the admin enters the secret again.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app

PREFIX = "fernet:"


class SealBroken(ValueError):
    """The stored value was sealed under another SECRET_KEY (or is damaged)."""


def _fernet() -> Fernet:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    key = hashlib.sha256(b"mentornet sealed secrets|" + secret).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(value: str) -> str:
    return PREFIX + _fernet().encrypt(value.encode()).decode()


def unseal(stored: str) -> str:
    """The secret; a value saved before sealing existed is returned as it is."""
    if not stored.startswith(PREFIX):
        return stored
    try:
        return _fernet().decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        raise SealBroken from None
