"""Users, their memberships of tenants with a role, logins and API tokens."""
