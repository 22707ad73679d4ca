#!/usr/bin/env bash
# Creates the Mentornet roles when the postgres container initialises an empty data
# directory (scripts in /docker-entrypoint-initdb.d run only then).
#
# It passes the role passwords from the container's environment to roles.sql as psql
# variables, so no password is written into the SQL file. The entrypoint may source this
# file rather than execute it, so it leaves shell options alone; psql's exit status is
# enough to stop the initialisation on error.

psql -v ON_ERROR_STOP=1 --no-psqlrc \
    --username "${POSTGRES_USER:-postgres}" \
    --dbname "${POSTGRES_DB:-mentornet}" \
    -v owner_password="${MENTORNET_OWNER_PASSWORD:-}" \
    -v app_password="${MENTORNET_APP_PASSWORD:-}" \
    -f /etc/mentornet/roles.sql
