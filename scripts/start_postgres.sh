#!/usr/bin/env bash
# Start a local PostgreSQL server for the `postgres` dbt target (make test-engines),
# installing Debian's package first when it is missing. Idempotent: an already
# running server and an existing role or database are left as they are.
# Connection: localhost:${PGPORT:-5432}, role and database `segments`, password `segments`
# (what profiles.yml's postgres target reads from DBT_POSTGRES_* with these defaults).
set -euo pipefail

ROLE=${DBT_POSTGRES_USER:-segments}
PASSWORD=${DBT_POSTGRES_PASSWORD:-segments}
DATABASE=${DBT_POSTGRES_DBNAME:-segments}
SUDO=""
if [[ $(id -u) -ne 0 ]]; then
    SUDO="sudo"
fi

if ! command -v pg_ctlcluster >/dev/null; then
    echo "start_postgres: installing Debian's postgresql (once)..." >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi

read -r VERSION CLUSTER _ STATUS _ < <(pg_lsclusters --no-header | head -1)
if [[ -z "${VERSION:-}" ]]; then
    echo "start_postgres: no PostgreSQL cluster found (pg_lsclusters is empty)" >&2
    exit 1
fi
if [[ "$STATUS" != "online" ]]; then
    $SUDO pg_ctlcluster "$VERSION" "$CLUSTER" start
fi

as_postgres() {
    if [[ $(id -u) -eq 0 ]]; then su postgres -c "$1"; else sudo -u postgres bash -c "$1"; fi
}
as_postgres "psql -qtAc \"select 1 from pg_roles where rolname = '$ROLE'\"" | grep -q 1 ||
    as_postgres "psql -qc \"create role $ROLE login superuser password '$PASSWORD'\""
as_postgres "psql -qtAc \"select 1 from pg_database where datname = '$DATABASE'\"" | grep -q 1 ||
    as_postgres "createdb -O $ROLE $DATABASE"
echo "start_postgres: PostgreSQL $VERSION up, database $DATABASE" >&2
