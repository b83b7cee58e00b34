#!/usr/bin/env python3
"""How much of each real list's text stands in cells that repeat (docs/pdf.md, "Performance").

The PDF notice draws a cell text that occurs more than once from one form XObject
(crates/quanze-pdf/src/repeated_cells.rs). This counts, per workbook of shared/real-lists, the
share of the characters of all text cells that are in cells of 20 characters or more occurring
twice or more, and the share a copy-once scheme saves (every occurrence but the first).

    pip install xlrd openpyxl
    python3 scripts/repeated_cells_in_real_lists.py [../shared/real-lists]
"""
import collections
import glob
import os
import sys

import openpyxl
import xlrd


def cells_of(path):
    if path.endswith(".xls"):
        book = xlrd.open_workbook(path)
        for sheet in book.sheets():
            for row in range(sheet.nrows):
                for col in range(sheet.ncols):
                    value = sheet.cell_value(row, col)
                    if isinstance(value, str) and value.strip():
                        yield value.strip()
    else:
        book = openpyxl.load_workbook(path, read_only=True)
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                for value in row:
                    if isinstance(value, str) and value.strip():
                        yield value.strip()


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(__file__), "..", "..", "shared", "real-lists")
    print("| workbook | characters | in repeated cells | saved by drawing each once |")
    print("|---|---:|---:|---:|")
    for path in sorted(glob.glob(os.path.join(folder, "*.xls*"))):
        cells = list(cells_of(path))
        counts = collections.Counter(cells)
        total = sum(len(cell) for cell in cells)
        repeated = sum(len(cell) for cell in cells if counts[cell] > 1 and len(cell) >= 20)
        once = sum(len(cell) for cell in counts if counts[cell] > 1 and len(cell) >= 20)
        print(f"| {os.path.basename(path)} | {total:,} | {repeated / total:.0%} | "
              f"{(repeated - once) / total:.0%} |")


if __name__ == "__main__":
    main()
