# A throwaway PostgreSQL cluster listening only on a Unix socket in its own temp folder
# (listen_addresses=''), so no TCP port is needed. Sourced by test.sh and bench.sh:
#   start_pg_cluster BIN_DIR  -> sets PG_DIR, PG_AS, PG_CLUSTER_URL; caller removes PG_DIR.
# Run a server program as the cluster's user, from a folder that user may enter.
pg_run() { (cd "$PG_DIR" && $PG_AS "$@"); }

start_pg_cluster() {
  PG_BIN="$1"
  PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/hienthuc-pg.XXXXXX")"
  PG_AS=""
  local user
  user="$(id -un)"
  if [ "$(id -u)" = 0 ]; then
    # initdb refuses to run as root: run the cluster as the postgres (or nobody) account.
    user=postgres
    id postgres >/dev/null 2>&1 || user=nobody
    chown "$user" "$PG_DIR"
    chmod 700 "$PG_DIR"
    PG_AS="runuser -u $user --"
  fi
  pg_run "$PG_BIN/initdb" -D "$PG_DIR/data" -U "$user" --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 \
    || pg_run "$PG_BIN/initdb" -D "$PG_DIR/data" -U "$user" --auth=trust --encoding=UTF8 --no-locale >"$PG_DIR/initdb.log" 2>&1 \
    || { cat "$PG_DIR/initdb.log"; return 1; }
  pg_run "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -w -t 60 -l "$PG_DIR/server.log" \
    -o "-c listen_addresses='' -k $PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50" start >/dev/null \
    || { cat "$PG_DIR/server.log"; return 1; }
  pg_run "$PG_BIN/createdb" -h "$PG_DIR" -U "$user" hienthuc >/dev/null || return 1
  PG_CLUSTER_URL="postgres://$user@/hienthuc?host=$PG_DIR"
  echo "Throwaway PostgreSQL cluster: $PG_DIR (socket only)"
}
