"""Outgoing mail, text and HTML, in each recipient's language."""
