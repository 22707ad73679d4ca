"""Outgoing mail, text and HTML, in each recipient's language.

``tasks`` holds one job per kind of message (the names are a contract with whoever
enqueues them); ``messages`` renders a message under the recipient's locale;
``recipients`` says who gets it in which language; ``sending`` delivers it once, by SMTP
or, without ``MAIL_SERVER`` (the demo), to the ``outbox`` admins read at
``/<tenant>/outbox``.
"""
