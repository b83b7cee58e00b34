#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests (issue 19): a new cluster in a temporary folder, run
# by an unprivileged user, on a free local port, with its unix socket in the same folder, and
# one database with pg_trgm available. Nothing outside the folder is touched; `stop` removes it.
#
#   scripts/pg-throwaway.sh start [DIR]   prints QUANZE_TEST_PG=postgresql://… (also in DIR/env)
#   scripts/pg-throwaway.sh stop DIR      stops the server and deletes DIR
#
# `start` prints two lines, `QUANZE_TEST_PG=<url>` and `QUANZE_TEST_PG_DIR=<folder>`, so that
# `eval "$(scripts/pg-throwaway.sh start)"` sets both. The cluster trusts local connections
# (it lives for one test run and listens on 127.0.0.1 only); its superuser is `quanze`, so tests
# may create a database each. fsync is off: a crash loses a throwaway cluster, nothing else.
#
# PostgreSQL's server refuses to run as root. As root (CI), the server runs as $PG_USER
# (default: `postgres` when the distribution's package made it, else `nobody`) through runuser;
# otherwise as the calling user. The binaries are taken from $PG_BINDIR, else the newest
# /usr/lib/postgresql/*/bin (Debian keeps initdb and pg_ctl off PATH), else PATH.
# Debian/Ubuntu packages: postgresql postgresql-contrib (pg_trgm).
set -euo pipefail

usage() {
    echo "用法：$0 start [DIR] | $0 stop DIR" >&2
    exit 2
}

bindir() {
    if [[ -n "${PG_BINDIR:-}" ]]; then
        echo "$PG_BINDIR"
        return
    fi
    local newest
    newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -n "$newest" && -x "$newest/initdb" ]]; then
        echo "$newest"
    elif command -v initdb >/dev/null; then
        dirname "$(command -v initdb)"
    else
        echo "找不到 PostgreSQL 的 initdb：请安装 postgresql postgresql-contrib，或设置 PG_BINDIR" >&2
        exit 1
    fi
}

server_user() {
    if [[ $(id -u) != 0 ]]; then
        id -un
    elif [[ -n "${PG_USER:-}" ]]; then
        echo "$PG_USER"
    elif id postgres >/dev/null 2>&1; then
        echo postgres
    else
        echo nobody
    fi
}

# Run a server program as the server's user.
as_server() {
    local user=$1
    shift
    if [[ $(id -u) == 0 ]]; then
        runuser -u "$user" -- "$@"
    else
        "$@"
    fi
}

# Whether something already listens on 127.0.0.1:$1.
port_taken() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start() {
    local dir=${1:-}
    local bin user
    bin=$(bindir)
    user=$(server_user)
    if [[ -z "$dir" ]]; then
        dir=$(mktemp -d "${TMPDIR:-/tmp}/quanze-pg.XXXXXX")
    else
        mkdir -p "$dir"
    fi
    dir=$(cd "$dir" && pwd)
    if [[ $(id -u) == 0 ]]; then
        chown "$user" "$dir"
        # The server's user must reach the folder: a TMPDIR under a private home would not do.
        if ! runuser -u "$user" -- test -w "$dir"; then
            echo "用户 $user 无法写入 $dir：请用 TMPDIR 指定一个它能进入的文件夹" >&2
            exit 1
        fi
    fi
    as_server "$user" "$bin/initdb" --pgdata="$dir/data" --username=quanze --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2
        exit 1
    }
    local port attempt
    for attempt in $(seq 1 20); do
        port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
        port_taken "$port" && continue
        if as_server "$user" "$bin/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --wait --silent \
            -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir \
                -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
            start; then
            break
        fi
        port=""
    done
    if [[ -z "$port" ]]; then
        echo "无法启动 PostgreSQL（见 $dir/server.log）" >&2
        tail -n 20 "$dir/server.log" >&2 || true
        exit 1
    fi
    "$bin/createdb" --host="$dir" --port="$port" --username=quanze quanze_test
    "$bin/psql" --host="$dir" --port="$port" --username=quanze --dbname=quanze_test --quiet \
        --no-psqlrc --set=ON_ERROR_STOP=1 --command="CREATE EXTENSION IF NOT EXISTS pg_trgm" >/dev/null || {
        echo "pg_trgm 不可用：请安装 postgresql-contrib" >&2
        stop "$dir"
        exit 1
    }
    local url="postgresql://quanze@127.0.0.1:$port/quanze_test"
    printf 'QUANZE_TEST_PG=%s\nQUANZE_TEST_PG_DIR=%s\n' "$url" "$dir" | tee "$dir/env"
}

stop() {
    local dir=${1:-}
    [[ -n "$dir" && -d "$dir" ]] || usage
    # Only a folder this script made: it has the env file or the data folder.
    [[ -f "$dir/env" || -d "$dir/data" ]] || {
        echo "$dir 不是本脚本建立的集群文件夹" >&2
        exit 1
    }
    if [[ -f "$dir/data/postmaster.pid" ]]; then
        local bin user
        bin=$(bindir)
        user=$(stat -c %U "$dir/data")
        as_server "$user" "$bin/pg_ctl" --pgdata="$dir/data" --mode=fast --wait --silent stop || true
    fi
    rm -rf "$dir"
}

case "${1:-}" in
    start) start "${2:-}" ;;
    stop) stop "${2:-}" ;;
    *) usage ;;
esac
