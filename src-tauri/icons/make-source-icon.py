#!/usr/bin/env python3
"""Write the 1024×1024 source icon (a red rounded square with a white document) with zlib only.

The committed icons were made from it with the Tauri CLI:
    python3 make-source-icon.py /tmp/quanze-icon.png
    npx --yes @tauri-apps/cli@2 icon /tmp/quanze-icon.png -o .   # then drop android/ and ios/
"""
import struct
import sys
import zlib

N = 1024
RED = (192, 33, 38, 255)
WHITE = (255, 255, 255, 255)
CLEAR = (0, 0, 0, 0)


def pixel(x: int, y: int):
    r, m = 180, 40
    if not (m <= x < N - m and m <= y < N - m):
        return CLEAR
    cx = min(max(x, m + r), N - m - r - 1)
    cy = min(max(y, m + r), N - m - r - 1)
    if (x - cx) ** 2 + (y - cy) ** 2 > r * r:
        return CLEAR
    x0, y0, x1, y1 = 300, 220, 724, 804
    if not (x0 <= x < x1 and y0 <= y < y1):
        return RED
    if x > x1 - 120 and y < y0 + 120 and (x - (x1 - 120)) > (y - y0):
        return RED  # folded corner
    for line in (380, 500, 620):
        if line <= y < line + 44 and x0 + 70 <= x < x1 - 70:
            return RED
    return WHITE


def chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def main(path: str) -> None:
    rows = bytearray()
    for y in range(N):
        rows.append(0)
        for x in range(N):
            rows.extend(pixel(x, y))
    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", N, N, 8, 6, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )
    with open(path, "wb") as out:
        out.write(png)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "quanze-icon.png")
