"""Compare the JSON records of two report folders, ignoring when and by which version they were made.

Used to show that a change which should not move a figure (a refactor) moved none:

    python tools/compare_reports.py BEFORE/reports AFTER/reports

Every ``<store>/<notebook>.json`` (not the ``.status.json`` files) present in either folder is
compared value by value; numbers must be equal exactly. Prints one line per difference and exits 1
if there is any, 0 if the two folders hold the same records.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

IGNORED = {"generated_at", "wxshop_version"}
# Wall-clock seconds a model fit took: a measurement of the machine, not a figure of the store.
IGNORED_ANYWHERE = {"seconds"}


def records(folder: Path) -> dict[str, Path]:
    """Relative path -> file, for every report record under ``folder``."""
    return {
        str(p.relative_to(folder)): p
        for p in sorted(folder.rglob("*.json"))
        if not p.name.endswith(".status.json") and p.parent != folder
    }


def differences(a: object, b: object, where: str = "") -> list[str]:
    """Where ``a`` and ``b`` differ, as JSON paths; IGNORED (top level) and IGNORED_ANYWHERE
    keys are skipped."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for key in sorted(set(a) | set(b)):
            if (not where and key in IGNORED) or key in IGNORED_ANYWHERE:
                continue
            if key not in a or key not in b:
                out.append(f"{where}/{key}: only in {'after' if key in b else 'before'}")
            else:
                out += differences(a[key], b[key], f"{where}/{key}")
        return out
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{where}: {len(a)} items before, {len(b)} after"]
        pairs = enumerate(zip(a, b, strict=True))
        return [d for i, (x, y) in pairs for d in differences(x, y, f"{where}/{i}")]
    return [] if a == b else [f"{where}: {a!r} before, {b!r} after"]


def compare(before: Path, after: Path) -> list[str]:
    """Every difference between the records of two report folders."""
    old, new = records(before), records(after)
    out = [f"{name}: only in {'after' if name in new else 'before'}" for name in sorted(set(old) ^ set(new))]
    for name in sorted(set(old) & set(new)):
        a = json.loads(old[name].read_text(encoding="utf-8"))
        b = json.loads(new[name].read_text(encoding="utf-8"))
        out += [f"{name}{d}" for d in differences(a, b)]
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        print("usage: compare_reports.py BEFORE AFTER", file=sys.stderr)
        return 2
    before, after = map(Path, argv)
    found = compare(before, after)
    for line in found:
        print(line)
    n = len(records(before))
    print(f"{n} records before, {len(records(after))} after: "
          f"{'identical' if not found else f'{len(found)} differences'}")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
