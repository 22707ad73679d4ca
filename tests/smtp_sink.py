"""A local SMTP server for the mail tests.

It stands in for the real SMTP server: aiosmtpd's Controller listens on a free port of
127.0.0.1 in a thread, speaks real SMTP to Mentornet's smtplib client and keeps every
message it accepts, parsed with the email package. It can also misbehave on purpose:
answer ``451`` (try later) to the next messages, or refuse an address for good (``550``).
"""

from __future__ import annotations

import email
import re
import socket
import threading
from email.message import EmailMessage
from email.policy import default as default_policy
from html.parser import HTMLParser
from typing import Any

from aiosmtpd.controller import Controller

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class SmtpSink:
    """Collects what Mentornet sends; use as a context manager (the fixture does)."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.fail_next = 0  # answer 451 to this many DATA commands first
        self.fail_on: set[int] = set()  # ... and to these attempts (1 is the first DATA)
        self.refuse: set[str] = set()  # addresses answered with 550
        self.attempts = 0
        self._lock = threading.Lock()
        self.port = free_port()
        self.controller = Controller(self, hostname=HOST, port=self.port)

    # aiosmtpd handler hooks ----------------------------------------------------------------

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        with self._lock:
            self.attempts += 1
            if self.fail_next > 0 or self.attempts in self.fail_on:
                self.fail_next = max(0, self.fail_next - 1)
                return "451 4.3.0 Please try again later"
            message = email.message_from_bytes(envelope.content, policy=default_policy)
            self.messages.append(message)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    # the context manager ---------------------------------------------------------------------

    def __enter__(self) -> SmtpSink:
        self.controller.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.controller.stop()

    # reading what arrived -----------------------------------------------------------------------

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def one_to(self, address: str) -> EmailMessage:
        found = self.to(address)
        assert len(found) == 1, f"{len(found)} mails to {address}: {[m['Subject'] for m in found]}"
        return found[0]


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None, "no text/plain part"
    return part.get_content()


def html_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None, "no text/html part"
    return part.get_content()


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.root: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html" and not self.root:
            self.root = dict(attrs)
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def html_links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


def html_root(html: str) -> dict[str, str | None]:
    """The attributes of the <html> element: lang and dir."""
    parser = _Links()
    parser.feed(html)
    return parser.root


def text_links(text: str) -> list[str]:
    return re.findall(r"https?://\S+", text)
