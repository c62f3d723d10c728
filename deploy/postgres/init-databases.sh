#!/usr/bin/env bash
# One role and one database per service, each owned by its own role and closed to the others:
# a service can read and write only its own data, and a leaked password exposes one database.
# Run by the postgres image on first start (/docker-entrypoint-initdb.d); idempotent all the same.
# Passwords come from <SERVICE>_DB_PASSWORD and are passed to psql as variables, never spliced into SQL.
set -euo pipefail

create_service_database() {  # name password
  psql -v ON_ERROR_STOP=1 --no-psqlrc --username "${POSTGRES_USER:-postgres}" \
    --dbname "${POSTGRES_DB:-postgres}" -v name="$1" -v password="$2" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'name', :'password')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'name') \gexec
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', :'name', :'password') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'name', :'name')
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'name') \gexec
REVOKE ALL ON DATABASE :"name" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"name" TO :"name";
SQL
}

for service in intake tasks reporting notify; do
  variable="${service^^}_DB_PASSWORD"
  create_service_database "$service" "${!variable:?$variable must be set (the password of the $service database)}"
done
