"""Row-level security for tenant tables on PostgreSQL, used by the revisions.

Each tenant table gets ``FORCE ROW LEVEL SECURITY`` (so even the owner is filtered) and
one policy: rows of the tenant in ``app.tenant_id``, or every row inside a platform scope
(``app.platform_scope = 'on'``). Both settings are set per transaction by the app.
"""

from alembic import op

POLICY = "tenant_isolation"
USING = (
    "tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::bigint "
    "OR current_setting('app.platform_scope', true) = 'on'"
)
CHECK = "tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::bigint"


def enable(*tables: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        op.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
        op.execute(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY')
        op.execute(f'CREATE POLICY {POLICY} ON "{table}" USING ({USING}) WITH CHECK ({CHECK})')


def disable(*tables: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        op.execute(f'DROP POLICY IF EXISTS {POLICY} ON "{table}"')
        op.execute(f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY')
        op.execute(f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY')
