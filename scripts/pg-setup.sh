#!/usr/bin/env bash
# Set up a shared Quanze database on an office's PostgreSQL server, and keep its accounts
# (issue 19, docs/server.md). Run by whoever administers the server, on the server or on a
# machine that reaches it.
#
#   scripts/pg-setup.sh create-database DB OWNER
#       The group roles quanze_bianban and quanze_street (if missing), the login role OWNER
#       (the account that owns the tables, sets up and upgrades the schema; not a person's
#       daily account), and the database DB owned by it, in the locale C.UTF-8 (pg_trgm finds
#       no trigrams in Chinese text under the locale C) with pg_trgm. Quanze makes the tables
#       the first time OWNER opens the database: `quanze --db postgresql://OWNER@HOST/DB lists`.
#   scripts/pg-setup.sh add-bianban DB NAME            a 编办 account: sees and changes all
#   scripts/pg-setup.sh add-street DB NAME 街道名      a street's account: its street, its
#                                                      communities and their lists
#   scripts/pg-setup.sh remove-account DB NAME         removes the login role (its entries in
#                                                      the audit log stay, under its name)
#   scripts/pg-setup.sh accounts DB                    who may do what
#
# Passwords: add-* asks for the new account's password twice on a terminal, or reads one line
# from standard input (`echo 密码 | scripts/pg-setup.sh add-street …`); with QUANZE_NO_PASSWORD=1
# the role gets none (for servers that authenticate otherwise: peer, certificates). The password
# never appears on a command line; it reaches the server in an ALTER ROLE statement over the
# admin connection, and the server keeps only its SCRAM hash (PostgreSQL 14 and later by
# default). Do not turn on statement logging (log_statement) while adding accounts.
#
# How it reaches the server: PG_ADMIN_URL (postgresql://postgres@host/postgres, an account that
# may create roles and databases); else, as root, `runuser -u postgres -- psql` (the local
# server's superuser, over its unix socket); else plain `psql` with the usual PGHOST/PGUSER.
set -euo pipefail

usage() {
    sed -n '5,20p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

# psql against database $1 as the administrator, stopping at the first error.
admin_psql() {
    local database=$1
    shift
    local options=(--no-psqlrc --quiet --set=ON_ERROR_STOP=1)
    if [[ -n "${PG_ADMIN_URL:-}" ]]; then
        psql "${options[@]}" --dbname="$(with_database "$PG_ADMIN_URL" "$database")" "$@"
    elif [[ $(id -u) == 0 ]] && id postgres >/dev/null 2>&1; then
        runuser -u postgres -- psql "${options[@]}" --dbname="$database" "$@"
    else
        psql "${options[@]}" --dbname="$database" "$@"
    fi
}

# $1 (a URL) naming database $2 instead of its own.
with_database() {
    local url=$1 database=$2 base query=""
    base=${url%%\?*}
    [[ "$url" == *\?* ]] && query="?${url#*\?}"
    echo "${base%/*}/$database$query"
}

# A role or database name as an SQL identifier: only letters, digits and _ are accepted, so
# that it needs no quoting anywhere (psql variables, URLs, pg_hba.conf).
check_name() {
    if [[ ! "$1" =~ ^[a-z_][a-z0-9_]{0,62}$ ]]; then
        echo "名称“$1”不可用：只能用小写英文字母、数字和下划线，并以字母或下划线开头（例如 zhang_san）" >&2
        exit 2
    fi
}

# The new account's password, from the terminal (twice) or one line of standard input.
read_password() {
    local first second
    if [[ -t 0 ]]; then
        read -r -s -p "账号 $1 的密码：" first && echo >&2
        read -r -s -p "再输入一次：" second && echo >&2
        if [[ "$first" != "$second" ]]; then
            echo "两次输入的密码不一致" >&2
            exit 1
        fi
    else
        IFS= read -r first || true
    fi
    if [[ -z "$first" ]]; then
        echo "密码不能为空（不用密码的服务器请设置 QUANZE_NO_PASSWORD=1）" >&2
        exit 1
    fi
    printf '%s' "$first"
}

# Create login role $2 in group $3 on database $1, with a password unless QUANZE_NO_PASSWORD=1.
add_login() {
    local database=$1 name=$2 group=$3
    admin_psql "$database" --set=name="$name" --set=group="$group" <<'SQL'
SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = :'name') AS exists \gset
\if :exists
\echo 账号 :name 已存在：把它加入 :group
\else
CREATE ROLE :"name" LOGIN;
\endif
GRANT :"group" TO :"name";
SQL
    if [[ "${QUANZE_NO_PASSWORD:-}" != 1 ]]; then
        local password
        password=$(read_password "$name")
        admin_psql "$database" --set=name="$name" --set=password="$password" <<'SQL' >/dev/null
SELECT format('ALTER ROLE %I PASSWORD %L', :'name', :'password') \gexec
SQL
    fi
}

command=${1:-}
case "$command" in
create-database)
    [[ $# == 3 ]] || usage
    database=$2 owner=$3
    check_name "$database"
    check_name "$owner"
    admin_psql postgres --set=owner="$owner" --set=database="$database" <<'SQL'
SELECT NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'quanze_bianban') AS missing \gset
\if :missing
CREATE ROLE quanze_bianban NOLOGIN;
\endif
SELECT NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'quanze_street') AS missing \gset
\if :missing
CREATE ROLE quanze_street NOLOGIN;
\endif
SELECT NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'owner') AS missing \gset
\if :missing
CREATE ROLE :"owner" LOGIN;
\endif
SELECT EXISTS (SELECT FROM pg_database WHERE datname = :'database') AS exists \gset
\if :exists
\echo 数据库 :database 已存在，未改动
\else
CREATE DATABASE :"database" OWNER :"owner" TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8';
\endif
SQL
    # pg_trgm is a trusted extension, but made here by the administrator all the same.
    admin_psql "$database" --command="CREATE EXTENSION IF NOT EXISTS pg_trgm"
    if [[ "${QUANZE_NO_PASSWORD:-}" != 1 ]]; then
        password=$(read_password "$owner")
        admin_psql "$database" --set=name="$owner" --set=password="$password" <<'SQL' >/dev/null
SELECT format('ALTER ROLE %I PASSWORD %L', :'name', :'password') \gexec
SQL
    fi
    echo "数据库 $database 已建好，所有者 $owner。下一步：quanze --db postgresql://$owner@主机/$database lists（建表），再载入或迁入数据"
    ;;
add-bianban)
    [[ $# == 3 ]] || usage
    check_name "$3"
    add_login "$2" "$3" quanze_bianban
    echo "已添加编办账号 $3：可查看和修改全部数据"
    ;;
add-street)
    [[ $# == 4 ]] || usage
    database=$2 name=$3 place=$4
    check_name "$name"
    # The place first: an account is only made for a place that exists once.
    # (psql substitutes variables in what it reads, not in --command.)
    found=$(admin_psql "$database" --tuples-only --no-align --set=place="$place" 2>/dev/null \
        <<<"SELECT count(*) FROM jurisdictions WHERE name = :'place';" || echo "")
    if [[ -z "$found" || "$found" == 0 ]]; then
        echo "数据库 $database 中找不到名为“$place”的辖区：请先载入数据，并写出街道的全称" >&2
        exit 1
    elif [[ "$found" != 1 ]]; then
        echo "数据库 $database 中有 $found 个名为“$place”的辖区：名称须唯一才能设定账号的范围" >&2
        exit 1
    fi
    add_login "$database" "$name" quanze_street
    admin_psql "$database" --set=name="$name" --set=place="$place" <<'SQL'
INSERT INTO role_scopes(role_name, jurisdiction_id)
SELECT :'name', id FROM jurisdictions WHERE name = :'place'
ON CONFLICT DO NOTHING;
SQL
    echo "已添加街道账号 $name：可查看和修改“$place”及其社区的清单"
    ;;
remove-account)
    [[ $# == 3 ]] || usage
    check_name "$3"
    admin_psql "$2" --set=name="$3" <<'SQL'
SELECT to_regclass('role_scopes') IS NOT NULL AS has_tables \gset
\if :has_tables
DELETE FROM role_scopes WHERE role_name = :'name';
\endif
DROP ROLE IF EXISTS :"name";
SQL
    echo "已删除账号 $3（操作记录中它的条目保留）"
    ;;
accounts)
    [[ $# == 2 ]] || usage
    admin_psql "$2" <<'SQL'
SELECT to_regclass('role_scopes') IS NOT NULL AS has_tables \gset
\if :has_tables
SELECT r.rolname AS 账号,
       CASE WHEN pg_has_role(r.oid, 'quanze_bianban', 'MEMBER') THEN '编办：全部'
            ELSE '街道：' || coalesce((SELECT string_agg(j.name, '、') FROM role_scopes s JOIN jurisdictions j ON j.id = s.jurisdiction_id WHERE s.role_name = r.rolname), '（未设定范围，看不到任何清单）')
       END AS 范围
FROM pg_roles r
WHERE r.rolcanlogin AND NOT r.rolsuper
  AND (pg_has_role(r.oid, 'quanze_bianban', 'MEMBER') OR pg_has_role(r.oid, 'quanze_street', 'MEMBER'))
ORDER BY 1;
\else
\echo 数据库还没有表：请先由所有者用 quanze 打开一次
\endif
SQL
    ;;
*)
    usage
    ;;
esac
