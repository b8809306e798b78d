"""Per-field accuracy of the rules extractor on tests/data/notes.jsonl, and its latency.

Run: .venv/bin/python benchmarks/extract.py [--verbose]

Splits, in the order they were written. A split is an honest estimate of unseen wording only on
its first run, before any fix it prompted; all of them have been used for fixes since.
  d  dev (125)        what the first rules were developed against
  h  holdout-1 (30)   written after the first version, then used for one round of fixes
  g  holdout-2 (25)   first run: stage 72, sentiment 72, amount 92, missing 76 %
  t  holdout-3 (69)   spoken, rambling notes written from scenarios before the rules were read;
                      first run: client 94, contact 96, stage 51, amount 90, products 96,
                      next_action 84, due 88, sentiment 65, missing 49 %
  u  holdout-4 (41)   written after the general rewrite; first run: client 95, contact 93,
                      stage 61, amount 95, next_action 83, due 98, sentiment 66, missing 56 %
  v  holdout-5 (42)   written after a second round; first run: client 98, contact 95, stage 71,
                      amount 100, competitors 98, next_action 86, due 88, sentiment 57,
                      missing 67 % (products 100 throughout)
next_action is scored as correct when one of the labelled key phrases occurs in it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp.extract import CONTRACT_KEYS, extract, warm_up_extractor  # noqa: E402
from nlp.extract.evaluation import field_ok, load_catalog, load_notes, score  # noqa: E402

DATA = ROOT / "tests" / "data"
SPLITS = {
    "d": "dev",
    "h": "holdout-1",
    "g": "holdout-2",
    "t": "holdout-3",
    "u": "holdout-4",
    "v": "holdout-5",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--verbose", "-v", action="store_true", help="print every wrong field")
    parser.add_argument("--rounds", type=int, default=20, help="timed passes over the set")
    args = parser.parse_args()

    catalog = load_catalog(DATA / "catalog.json")
    notes = list(load_notes(DATA / "notes.jsonl"))
    t0 = time.perf_counter()
    warm_up_extractor(catalog)
    print(f"warm-up (jionlp import + first parse + index): {time.perf_counter() - t0:.2f} s")

    results = {}
    for note in notes:
        results[note.id] = extract(note.text, now=note.now, catalog=catalog, rep_id=note.rep)
    order = {"d": 0, "h": 1, "g": 2, "t": 3, "u": 4, "v": 5}
    for split in [*sorted({n.split for n in notes}, key=lambda s: order.get(s, 9)), "all"]:
        chosen = [n for n in notes if split in ("all", n.split)]
        acc = score((n.expect, results[n.id].to_json()) for n in chosen)
        label = SPLITS.get(split, split)
        print(f"\n{label}: {len(chosen)} notes")
        for name in CONTRACT_KEYS:
            print(f"  {name:16s} {acc[name] * 100:6.1f} %")
        print(f"  {'mean':16s} {statistics.mean(acc.values()) * 100:6.1f} %")
    if args.verbose:
        for note in notes:
            got = results[note.id].to_json()
            for name in CONTRACT_KEYS:
                if not field_ok(name, note.expect[name], got[name]):
                    print(
                        f"{note.id} {name}: want {note.expect[name]!r} got {got[name]!r}"
                        f"  | {note.text}"
                    )

    timings = []
    for _ in range(args.rounds):
        for note in notes:
            start = time.perf_counter()
            extract(note.text, now=note.now, catalog=catalog, rep_id=note.rep)
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p50 = timings[len(timings) // 2]
    p99 = timings[int(len(timings) * 0.99) - 1]
    print(f"\nlatency per note ({len(timings)} runs): p50 {p50:.2f} ms, p99 {p99:.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
