#!/bin/sh
# Runs once, when the postgres container initialises an empty volume: the service's own role
# (no superuser) owning the service's database. Its password comes from the environment.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres -v password="$MEDIA_API_DB_PASSWORD" <<'SQL'
CREATE ROLE media_api LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'password';
CREATE DATABASE media_analysis OWNER media_api;
SQL
