#!/usr/bin/env python3
"""Mean ± standard error over seeds of every final metric, per condition prefix, from `guidance run` records.

usage: summarize_records.py DIR PREFIX...   (records are DIR/PREFIX-s<seed>.json)
"""
import glob
import json
import math
import os
import sys


def main():
    folder, prefixes = sys.argv[1], sys.argv[2:]
    metrics = ["train_accuracy", "val_accuracy", "test_accuracy", "test_loss", "test_token_accuracy", "train_token_accuracy"]
    print(f"{'condition':<12} {'n':>2} " + " ".join(f"{m:>22}" for m in metrics))
    for prefix in prefixes:
        records = [json.load(open(p)) for p in sorted(glob.glob(os.path.join(folder, f"{prefix}-s*.json")))]
        ok = [r for r in records if r["status"]["state"] == "ok"]
        cells = []
        for m in metrics:
            values = [r["metrics"][m] for r in ok if m in r["metrics"]]
            if not values:
                cells.append(f"{'-':>22}")
                continue
            mean = sum(values) / len(values)
            se = math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1) / len(values)) if len(values) > 1 else float("nan")
            cells.append(f"{mean:>13.4f} ± {se:<6.4f}")
        bad = len(records) - len(ok)
        print(f"{prefix:<12} {len(ok):>2} " + " ".join(cells) + (f"   ({bad} not ok)" if bad else ""))


if __name__ == "__main__":
    main()
