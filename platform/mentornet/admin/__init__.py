"""``/admin``: the platform operator's view of tenants, plans and usage; no personal data."""
