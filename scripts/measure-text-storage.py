#!/usr/bin/env python3
"""How the distinct texts of a Quanze database (schema 4) would be stored, measured three ways.

Usage: scripts/measure-text-storage.py DATABASE [DICTIONARY_SOURCE]

Reads every body of `texts` (inflating the deflated ones) and prints the bytes of:
  - the texts as plain UTF-8,
  - each text above 64 bytes deflated on its own (what the store does, level 9 here; the store
    uses the default level, within a few percent),
  - the same with a 32 KB preset dictionary taken from the end of DICTIONARY_SOURCE (default:
    sample-data/sample-district.yaml, a different corpus than the database measured).
docs/store.md quotes its output for the eight real lists.
"""
import pathlib
import sqlite3
import sys
import zlib

THRESHOLD = 64


def bodies(path):
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    for (body,) in conn.execute("SELECT body FROM texts"):
        if isinstance(body, bytes):
            yield zlib.decompress(body, -15)
        else:
            yield body.encode()


def deflated(texts, dictionary=None):
    total = 0
    for text in texts:
        if len(text) <= THRESHOLD:
            total += len(text)
            continue
        if dictionary:
            packer = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY, dictionary)
        else:
            packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        packed = packer.compress(text) + packer.flush()
        total += min(len(packed), len(text))
    return total


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    texts = list(bodies(sys.argv[1]))
    root = pathlib.Path(__file__).resolve().parent.parent
    source = pathlib.Path(sys.argv[2]) if len(sys.argv) > 2 else root / "sample-data" / "sample-district.yaml"
    dictionary = source.read_bytes()[-32768:]
    plain = sum(len(t) for t in texts)
    print(f"distinct texts: {len(texts)}")
    print(f"plain UTF-8: {plain} bytes")
    alone = deflated(texts)
    print(f"each above {THRESHOLD} bytes deflated alone: {alone} bytes ({alone / plain:.0%})")
    shared = deflated(texts, dictionary)
    print(f"same with a 32 KB dictionary from {source.name}: {shared} bytes ({shared / plain:.0%})")


if __name__ == "__main__":
    main()
