#!/usr/bin/env python3
"""SQLite against PostgreSQL on this machine (issue 19's performance table), one command:

    scripts/bench_server.py [--rows 50000] [--runs 3] [--out docs/benchmarks/server.md]

Builds the release `bench_import` example and the `quanze` CLI, starts a throwaway PostgreSQL
cluster (scripts/pg-throwaway.sh; or uses $QUANZE_BENCH_PG, a server URL whose user may create
databases), generates the 50,000-row legacy-style workbook once, then for each run and each
backend: imports it into a fresh database (a new file; a new database on the server) with
`bench_import --child`, which reports the import's time and search times over the imported
items, and times `quanze check` (every rule over the whole database) on it. Medians of the runs,
side by side, written to --out.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HAND_NOTES = "What it says (read by hand, not generated):"
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))


def run(args, **kw):
    return subprocess.run(args, check=True, text=True, capture_output=True, **kw)


def build():
    # Two builds: `--example` would apply to every package named with it.
    run(["cargo", "build", "--release", "-p", "quanze-api", "--example", "bench_import"], cwd=ROOT)
    run(["cargo", "build", "--release", "-p", "quanze-cli"], cwd=ROOT)
    return TARGET / "release/examples/bench_import", TARGET / "release/quanze"


def start_cluster():
    out = run([str(ROOT / "scripts/pg-throwaway.sh"), "start"]).stdout
    env = dict(line.split("=", 1) for line in out.strip().splitlines() if "=" in line)
    return env["QUANZE_TEST_PG"], env["QUANZE_TEST_PG_DIR"]


def with_database(url, name):
    base, _, query = url.partition("?")
    return base.rsplit("/", 1)[0] + "/" + name + ("?" + query if query else "")


def psql(url, sql):
    run(["psql", "--no-psqlrc", "--quiet", "--dbname", url, "--command", sql])


def import_once(bench, workbook, db):
    """Import into db; (seconds, search p50/p95 per query length) from the child's line.

    The page cache is written out first (sync), so that neither backend's import pays for
    writing out what the run before it left (the SQLite file of 50,000 items, a dropped
    database): without it, whichever came second was timed with the first one's writes."""
    os.sync()
    out = run([str(bench), "--child", str(workbook), db]).stdout.split()
    items, seconds = int(out[0]), float(out[1])
    searches = [(float(out[7 + 2 * i]), float(out[8 + 2 * i])) for i in range(3)]
    return items, seconds, searches


def check_once(cli, db):
    os.sync()
    started = time.monotonic()
    run([str(cli), "--db", db, "check"])
    return time.monotonic() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", default=str(ROOT / "docs/benchmarks/server.md"))
    args = parser.parse_args()
    bench, cli = build()
    server = os.environ.get("QUANZE_BENCH_PG")
    cluster_dir = None
    if not server:
        server, cluster_dir = start_cluster()
    folder = Path(tempfile.mkdtemp(prefix="quanze-bench-server."))
    workbook = folder / "legacy.xlsx"
    run([str(bench), "--generate", str(workbook), str(args.rows)])
    figures = {"SQLite": [], "PostgreSQL": []}
    load = open("/proc/loadavg").read().split()[0]
    try:
        for n in range(args.runs):
            file_db = folder / f"run{n}.db"
            name = f"quanze_bench_{os.getpid()}_{n}"
            psql(with_database(server, "postgres"), f"CREATE DATABASE {name} TEMPLATE template0 LOCALE 'C.UTF-8'")
            server_db = with_database(server, name)
            for backend, db in (("SQLite", str(file_db)), ("PostgreSQL", server_db)):
                items, seconds, searches = import_once(bench, workbook, db)
                checked = check_once(cli, db)
                figures[backend].append((items, seconds, checked, searches))
                print(f"run {n + 1} {backend}: {items} items imported in {seconds:.2f} s, checks {checked:.2f} s", file=sys.stderr)
            psql(with_database(server, "postgres"), f"DROP DATABASE {name} WITH (FORCE)")
    finally:
        if cluster_dir:
            subprocess.run([str(ROOT / "scripts/pg-throwaway.sh"), "stop", cluster_dir], check=False)
    write(args, figures, load)


def median(values):
    return statistics.median(values)


def write(args, figures, load):
    def col(backend, index):
        return [row[index] for row in figures[backend]]

    lines = [
        "# SQLite and PostgreSQL side by side",
        "",
        f"Produced by `scripts/bench_server.py --rows {args.rows} --runs {args.runs}` on {time.strftime('%Y-%m-%d')} "
        f"({os.cpu_count()} cores, load average {load} at the start; the server is a throwaway PostgreSQL "
        "cluster on the same machine, reached over TCP on 127.0.0.1, fsync off). Release builds. "
        f"Medians of {args.runs} runs; every run imports into a new database.",
        "",
        "| | SQLite (file) | PostgreSQL (local server) | ratio | goal |",
        "|---|---|---|---|---|",
    ]
    items = col("SQLite", 0)[0]
    s_import, p_import = median(col("SQLite", 1)), median(col("PostgreSQL", 1))
    s_check, p_check = median(col("SQLite", 2)), median(col("PostgreSQL", 2))
    lines.append(f"| import of the {items}-row workbook, until searchable | {s_import:.2f} s | {p_import:.2f} s | {p_import / s_import:.2f}× | ≤ 2× |")
    lines.append(f"| `quanze check` over those {items} items (process start to exit) | {s_check:.2f} s | {p_check:.2f} s | {p_check / s_check:.2f}× | ≤ 2× |")
    for i, label in enumerate(["1-character", "2-character", "4-character"]):
        s = [row[3][i] for row in figures["SQLite"]]
        p = [row[3][i] for row in figures["PostgreSQL"]]
        lines.append(
            f"| search, {label} queries, p50 / p95 (ms) | {median([x[0] for x in s]):.1f} / {median([x[1] for x in s]):.1f} "
            f"| {median([x[0] for x in p]):.1f} / {median([x[1] for x in p]):.1f} | | |"
        )
    lines += ["", "All runs (seconds: import, checks):", ""]
    for backend in figures:
        runs = ", ".join(f"{row[1]:.2f} / {row[2]:.2f}" for row in figures[backend])
        lines.append(f"- {backend}: {runs}")
    lines.append("")
    # The notes written by hand below the generated part stay when the figures are written again.
    out = Path(args.out)
    previous = out.read_text(encoding="utf-8") if out.exists() else ""
    if HAND_NOTES in previous:
        lines.append(previous[previous.index(HAND_NOTES):].rstrip("\n") + "\n")
    out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
