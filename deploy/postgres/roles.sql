-- Mentornet database roles.
--
-- Run once per database as a superuser (or as a role that may create roles and is a
-- member of mentornet_owner), connected to the Mentornet database:
--
--     psql -v ON_ERROR_STOP=1 -d mentornet \
--          -v owner_password='...' -v app_password='...' -f roles.sql
--
-- The two password variables are optional; without them the roles are created without a
-- password (for example when they authenticate through certificates or IAM). Running the
-- script again is safe: it creates what is missing and resets the attributes below.
--
-- Why two roles
-- -------------
-- Mentornet keeps all tenants in one schema. Besides the application's own scoping of
-- every query, PostgreSQL enforces the separation: the migrations enable row-level
-- security with FORCE ROW LEVEL SECURITY on every tenant table, with policies that only
-- let a row through when its tenant_id equals current_setting('app.tenant_id'). The
-- application sets that value at the start of each transaction with
-- set_config('app.tenant_id', ..., true), which lasts until the transaction ends, so a
-- pooled connection never carries one tenant's setting into the next request.
--
-- Those policies only bind a role that neither owns the tables nor has BYPASSRLS (and is
-- not a superuser, which bypasses them too). Hence:
--
--   mentornet_owner  owns the schema objects and runs `mentornet db upgrade`. Used only
--                    by the migration step (MIGRATIONS_DATABASE_URL).
--   mentornet_app    what the web processes and job workers log in as (DATABASE_URL):
--                    LOGIN, NOSUPERUSER, NOBYPASSRLS, may read and write rows but cannot
--                    create, alter or drop tables, and so cannot switch the policies off.

\set ON_ERROR_STOP on

-- Roles ------------------------------------------------------------------------------

DO $roles$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mentornet_owner') THEN
        CREATE ROLE mentornet_owner;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mentornet_app') THEN
        CREATE ROLE mentornet_app;
    END IF;
END
$roles$;

-- Attributes are (re)applied on every run, so a role created earlier by hand is brought
-- back in line. The owner needs no special powers: creating tables in a schema it may
-- write to is enough, and the policies do not restrict DDL.
ALTER ROLE mentornet_owner WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT;
ALTER ROLE mentornet_app   WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT;

-- The application role must not gain the owner's rights through membership.
DO $membership$
BEGIN
    IF EXISTS (
        SELECT 1
        FROM pg_auth_members m
        JOIN pg_roles r ON r.oid = m.roleid
        JOIN pg_roles u ON u.oid = m.member
        WHERE r.rolname = 'mentornet_owner' AND u.rolname = 'mentornet_app'
    ) THEN
        REVOKE mentornet_owner FROM mentornet_app;
    END IF;
END
$membership$;

-- Passwords, when given as psql variables. They are set outside the DO blocks because
-- psql does not substitute variables inside dollar-quoted bodies.
\if :{?owner_password}
SELECT :'owner_password' <> '' AS mentornet_owner_password_given \gset
\if :mentornet_owner_password_given
ALTER ROLE mentornet_owner WITH PASSWORD :'owner_password';
\endif
\endif

\if :{?app_password}
SELECT :'app_password' <> '' AS mentornet_app_password_given \gset
\if :mentornet_app_password_given
ALTER ROLE mentornet_app WITH PASSWORD :'app_password';
\endif
\endif

-- Database and schema ----------------------------------------------------------------

DO $database$
BEGIN
    EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO mentornet_owner, mentornet_app',
                   current_database());
END
$database$;

-- Nobody but the owner creates objects in the schema (PostgreSQL 15 and later already
-- default to this; older servers let every role create tables in public).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO mentornet_owner;
GRANT USAGE ON SCHEMA public TO mentornet_app;

-- Privileges of the application role -------------------------------------------------

-- Tables and sequences the owner creates from now on (that is, by every migration) are
-- readable and writable by the application, nothing more: no TRUNCATE, REFERENCES or
-- TRIGGER, and no ownership.
ALTER DEFAULT PRIVILEGES FOR ROLE mentornet_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO mentornet_app;
ALTER DEFAULT PRIVILEGES FOR ROLE mentornet_owner IN SCHEMA public
    GRANT USAGE ON SEQUENCES TO mentornet_app;

-- The same for anything that already exists, when the script runs after migrations.
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO mentornet_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO mentornet_app;
