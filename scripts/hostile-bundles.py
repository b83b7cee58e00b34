#!/usr/bin/env python3
"""Write the hostile bundles of issue 13, item 1, into a folder (default /tmp/quanze-hostile-bundles):

- alias-1mib.yaml: the tester's bundle — a 1 MiB anchor (`basis: &big "…"`) and 2,999 items
  with `basis: *big` (1.2 MB on disk, 3 GB of text once expanded);
- alias-30k.yaml: the same with an anchor under the text limit (30,000 characters), so that
  the alias-expansion budget, not the text limit, is what refuses it.

Used by docs/reliability.md:  python3 scripts/hostile-bundles.py && quanze --db x.db load FILE
"""
import pathlib
import sys

HEAD = """format: quanze-bundle
format_version: 1
jurisdictions:
- id: 1
  name: 区
  level: 区
units:
- id: 1
  jurisdiction: 1
  name: 局
  kind: 行政
lists:
- id: 1
  jurisdiction: 1
  unit: 1
  kind: 权责清单
  name: 清单
  items:
"""


def bundle(anchor_chars: int) -> str:
    lines = [HEAD.rstrip("\n"), "  - id: 1", "    name: 事项1", f'    basis: &big "{"法" * anchor_chars}"']
    for i in range(2, 3001):
        lines += [f"  - id: {i}", f"    name: 事项{i}", "    basis: *big"]
    return "\n".join(lines) + "\n"


def main() -> None:
    folder = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/quanze-hostile-bundles")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "alias-1mib.yaml").write_text(bundle(1024 * 1024 // 3), encoding="utf-8")
    (folder / "alias-30k.yaml").write_text(bundle(30_000), encoding="utf-8")
    print(folder)


if __name__ == "__main__":
    main()
