#!/usr/bin/env python3
"""Ten people at once, SQLite against PostgreSQL on this machine (issue 19), one command:

    scripts/bench_clients.py [--clients 10] [--seconds 60] [--out docs/benchmarks/clients.md]

Builds the release `bench_clients` example, starts a throwaway PostgreSQL cluster
(scripts/pg-throwaway.sh; or uses $QUANZE_BENCH_PG, a server URL whose user may create
databases), then runs the example once on a new SQLite file and once on a new server database:
each loads the sample district and runs --clients threads, each with its own connection, for
--seconds doing a mix of opening a list, editing a cell, searching and running the checks (see
crates/quanze-api/examples/bench_clients.rs for the mix and how lost updates are counted).
Both runs side by side, written to --out.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
sys.path.insert(0, str(ROOT / "scripts"))
from bench_server import psql, run, start_cluster, with_database  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--out", default=str(ROOT / "docs/benchmarks/clients.md"))
    args = parser.parse_args()
    run(["cargo", "build", "--release", "-p", "quanze-api", "--example", "bench_clients"], cwd=ROOT)
    bench = TARGET / "release/examples/bench_clients"
    server = os.environ.get("QUANZE_BENCH_PG")
    cluster_dir = None
    if not server:
        server, cluster_dir = start_cluster()
    folder = Path(tempfile.mkdtemp(prefix="quanze-bench-clients."))
    load = open("/proc/loadavg").read().split()[0]
    name = f"quanze_clients_{os.getpid()}"
    results = {}
    try:
        psql(with_database(server, "postgres"), f"CREATE DATABASE {name} TEMPLATE template0 LOCALE 'C.UTF-8'")
        for backend, db in (("SQLite", str(folder / "clients.db")), ("PostgreSQL", with_database(server, name))):
            command = [str(bench), db, "--clients", str(args.clients), "--seconds", str(args.seconds)]
            results[backend] = json.loads(run(command).stdout.strip().splitlines()[-1])
            print(f"{backend}: {results[backend]['per_second']:.1f} operations/s", file=sys.stderr)
        psql(with_database(server, "postgres"), f"DROP DATABASE {name} WITH (FORCE)")
    finally:
        if cluster_dir:
            subprocess.run([str(ROOT / "scripts/pg-throwaway.sh"), "stop", cluster_dir], check=False)
    write(args, results, load)


def write(args, results, load):
    s, p = results["SQLite"], results["PostgreSQL"]
    lines = [
        f"# {args.clients} people at once: SQLite and PostgreSQL side by side",
        "",
        f"Produced by `scripts/bench_clients.py --clients {args.clients} --seconds {args.seconds}` on "
        f"{time.strftime('%Y-%m-%d')} ({os.cpu_count()} cores, load average {load} at the start; the server is a "
        "throwaway PostgreSQL cluster on the same machine, reached over TCP on 127.0.0.1, fsync off; the clients "
        "are threads of one release process, each with its own connection, as each person's app has). Each "
        "backend starts from the sample district (5,130 items). The mix: 35 % open a list (the list of lists and "
        "200 rows), 40 % edit a cell (increment a counter in the 备注 of one of 12 shared items, from the value "
        "the page showed), 20 % search, 5 % run every check.",
        "",
        "| | SQLite (one file, several connections) | PostgreSQL (local server) |",
        "|---|---|---|",
        f"| operations in {args.seconds} s, per second | {s['operations']} ({s['per_second']:.1f}/s) | {p['operations']} ({p['per_second']:.1f}/s) |",
    ]
    for op, label in (("open", "open a list"), ("edit", "edit a cell"), ("search", "search"), ("check", "run every check")):
        a, b = s["by_operation"].get(op, {}), p["by_operation"].get(op, {})
        cell = lambda x: f"{x.get('count', 0)} × · {x.get('p50_ms', 0):.1f} / {x.get('p95_ms', 0):.1f}"
        lines.append(f"| {label}: count · p50 / p95 (ms) | {cell(a)} | {cell(b)} |")
    lines += [
        f"| edits saved | {s['saved_edits']} | {p['saved_edits']} |",
        f"| conflicts reported (another person changed the cell since it was read; nothing saved) | {s['conflicts']} | {p['conflicts']} |",
        f"| **lost updates** (saved edits missing from the counters) | **{s['lost_updates']}** | **{p['lost_updates']}** |",
        f"| counters above the saved edits | {s['counted_but_never_saved']} | {p['counted_but_never_saved']} |",
        f"| errors other than reported conflicts | {len(s['errors'])} | {len(p['errors'])} |",
        "",
    ]
    for backend, r in results.items():
        for error in r["errors"]:
            lines.append(f"- {backend} error: {error}")
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
