# Debian's PostgreSQL, run by our scripts: sourced by with-postgres.sh (a throwaway cluster for the
# tests) and cluster.sh (the cluster's database).

# The newest installed server's bin directory; fails when none is installed.
pg_bin() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$bin" ]; then
    echo "PostgreSQL is not installed (run scripts/setup-tools.sh with GUISE_WITH_POSTGRES=1)" >&2
    return 1
  fi
  echo "$bin"
}

# PostgreSQL refuses to run as root: run it as the postgres user when we are root.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# pg_start DIR PORT [EXTRA_OPTIONS]: creates the cluster in DIR/data on first use, then starts it on
# 127.0.0.1:PORT with its socket and log in DIR, and waits until it accepts connections.
pg_start() {
  local dir=$1 port=$2 extra=${3:-} bin
  bin=$(pg_bin)
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync >/dev/null
  fi
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $extra" start >/dev/null
}

# pg_stop DIR [MODE]: stops the cluster (fast by default); quiet when it is not running.
pg_stop() {
  local bin
  bin=$(pg_bin) || return 0
  as_pg "$bin/pg_ctl" -D "$1/data" -m "${2:-fast}" -w stop >/dev/null 2>&1 || true
}
