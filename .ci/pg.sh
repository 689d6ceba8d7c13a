#!/usr/bin/env bash
# A throw-away PostgreSQL on a loopback port, for CI and for local runs of the suite against a
# real server: `source .ci/pg.sh && pg_up` sets TEST_DATABASE_URL; `pg_down` stops and removes it.

pg_bin() {
  local ctl
  ctl=$(command -v pg_ctl || ls /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -V | tail -n 1)
  dirname "$ctl"
}

as_pg() {
  # initdb refuses to run as root: run the server as the postgres user when we are root.
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_up() {
  # Read at call time: `PG_PORT=n source .ci/pg.sh` would not outlive the source.
  local port="${PG_PORT:-55432}"
  local bin
  bin=$(pg_bin)
  PG_DIR=$(mktemp -d /tmp/osm-pg.XXXXXX)
  [ "$(id -u)" = 0 ] && chown postgres "$PG_DIR"
  as_pg "$bin/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 ||
    { cat "$PG_DIR/initdb.log"; return 1; }
  export PG_DIR PG_PORT="$port"
  pg_start || return 1
  export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
}

# Stop and start the running cluster of PG_DIR in place (npm run test:reliability restarts it under load).
pg_start() {
  as_pg "$(pg_bin)/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-p ${PG_PORT:-55432} -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null ||
    { cat "$PG_DIR/server.log"; return 1; }
}

pg_stop() {
  as_pg "$(pg_bin)/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null
}

pg_down() {
  [ -n "${PG_DIR:-}" ] || return 0
  as_pg "$(pg_bin)/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}
