"""Reading a settings page's form as a browser would, and sending it back changed."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import Any

from sqlalchemy import text


class _FormReader(HTMLParser):
    """The fields of the page's settings form (class "settings-form"), as a browser sends them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: list[tuple[str, str]] = []
        self.in_form = False
        self.select: str | None = None
        self.select_options: list[tuple[str, bool]] = []
        self.textarea: str | None = None
        self.textarea_text = ""
        self.multiple = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and "settings-form" in a.get("class", ""):
            self.in_form = True
        if not self.in_form:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("submit", "button"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value", "y" if kind == "checkbox" else "")))
        elif tag == "select" and a.get("name"):
            self.select, self.select_options = a["name"], []
            self.multiple = "multiple" in a
        elif tag == "option" and self.select is not None:
            self.select_options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and a.get("name"):
            self.textarea, self.textarea_text = a["name"], ""

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.textarea_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.in_form:
            self.in_form = False
        elif tag == "select" and self.select is not None:
            chosen = [v for v, selected in self.select_options if selected]
            if not chosen and self.select_options and not self.multiple:
                chosen = [self.select_options[0][0]]
            self.fields.extend((self.select, v) for v in chosen)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            value = self.textarea_text
            for newline in ("\r\n", "\n"):  # the one a browser drops after <textarea>
                if value.startswith(newline):
                    value = value[len(newline) :]
                    break
            self.fields.append((self.textarea, value))
            self.textarea = None


def read_form(html: str) -> dict[str, list[str]]:
    reader = _FormReader()
    reader.feed(html)
    fields: dict[str, list[str]] = {}
    for name, value in reader.fields:
        fields.setdefault(name, []).append(value)
    return fields


def submit(client, url: str, changes: dict[str, Any] | None = None, action: str | None = None):
    """GET ``url``, change some fields (a list for several values, None to untick or
    drop one) and POST the form back, pressing ``action`` (a button's value) if given."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    fields = read_form(page.get_data(as_text=True))
    for name, value in (changes or {}).items():
        if value is None:
            fields.pop(name, None)
        else:
            fields[name] = [str(v) for v in value] if isinstance(value, list) else [str(value)]
    if action is not None:
        fields[action.split("=", 1)[0] if "=" in action else "action"] = [
            action.split("=", 1)[1] if "=" in action else action
        ]
    return client.post(url, data=fields)


def stored_settings(owner_engine, slug: str) -> dict[str, Any]:
    """The tenant's settings as the database holds them, read behind the application."""
    with owner_engine.connect() as conn:
        value = conn.execute(
            text("SELECT settings FROM tenants WHERE slug = :slug"), {"slug": slug}
        ).scalar_one()
    return json.loads(value) if isinstance(value, str) else value


def history_rows(owner_engine, slug: str) -> list[dict[str, Any]]:
    """The tenant's settings_changes rows, oldest first, with changes decoded."""
    with owner_engine.connect() as conn:
        found = conn.execute(
            text(
                "SELECT c.user_id, c.section, c.changes, c.created_at FROM settings_changes c "
                "JOIN tenants t ON t.id = c.tenant_id WHERE t.slug = :slug ORDER BY c.id"
            ),
            {"slug": slug},
        ).mappings()
        result = []
        for row in found:
            row = dict(row)
            if isinstance(row["changes"], str):
                row["changes"] = json.loads(row["changes"])
            result.append(row)
        return result
