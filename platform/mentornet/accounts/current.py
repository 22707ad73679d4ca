"""The logged-in user and member, and the role checks views declare."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, g, redirect, request, url_for
from werkzeug.local import LocalProxy

from mentornet.accounts.models import Membership, User

F = TypeVar("F", bound=Callable[..., Any])

current_user: User | None = LocalProxy(lambda: g.get("user"))  # type: ignore[assignment]
current_membership: Membership | None = LocalProxy(  # type: ignore[assignment]
    lambda: g.get("membership")
)


def roles_required(*roles: str) -> Callable[[F], F]:
    """Let members with one of ``roles`` in the bound tenant through.

    Anonymous visitors go to the login page; a member of another tenant is a stranger
    and gets 404, as if the page did not exist; a member without the role gets 403.
    """

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            membership = g.get("membership")
            if membership is None:
                if g.get("stranger"):
                    abort(404)
                return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
            if roles and membership.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator


login_required = roles_required()
