#!/usr/bin/env python3
"""Prints the benchmark's tables from what bench/run.sh measured.

    report.py table DIR         one size: DIR/round-R.json (hyperfine, one run
                                per command per round) and DIR/rss-NAME.txt
                                (GNU time's peak RSS in KiB, one line a round);
                                prints a Markdown table of medians and writes
                                DIR/summary.json
    report.py scaling DIR...    how each tool's wall time grows from the
                                smallest size to the largest
"""

import glob
import json
import os
import statistics
import sys

TOOLS = [
    ("casebook", "casebook"),
    ("casebook-jobs1", "casebook --jobs 1"),
    ("hugo", "Hugo"),
    ("hugo-nohl", "Hugo, highlighting off"),
    ("cmark", "cmark-gfm, one process (floor)"),
]


def pages_of(d):
    return int(os.path.basename(os.path.normpath(d)).lstrip("n"))


def collect(d):
    """Per tool: lists of wall and CPU seconds and peak RSS in MiB, one value
    a round."""
    runs = {name: {"wall": [], "cpu": [], "rss": []} for name, _ in TOOLS}
    for path in sorted(glob.glob(os.path.join(d, "round-*.json"))):
        with open(path) as f:
            for res in json.load(f)["results"]:
                r = runs[res["command"]]
                r["wall"].append(res["times"][0])
                r["cpu"].append(res["user"] + res["system"])
                if res["exit_codes"] != [0]:
                    sys.exit(f"report.py: {res['command']} failed in {path}")
    for name, _ in TOOLS:
        with open(os.path.join(d, f"rss-{name}.txt")) as f:
            runs[name]["rss"] = [int(line) / 1024 for line in f if line.strip()]
    return runs


def summarize(runs):
    return {name: {k: statistics.median(v) for k, v in r.items()} | {
        "wall_min": min(r["wall"]), "wall_max": max(r["wall"]), "rounds": len(r["wall"])}
        for name, r in runs.items()}


def table(d):
    s = summarize(collect(d))
    nohl, floor = s["hugo-nohl"], s["cmark"]
    rounds = s["casebook"]["rounds"]
    print(f"Medians of {rounds} rounds; CPU = user + system; "
          "ratios are wall time over the reference's.")
    print()
    print("| tool | wall (s) | wall min–max (s) | CPU (s) | peak RSS (MiB) "
          "| wall ÷ Hugo no-hl | wall ÷ cmark floor | CPU ÷ Hugo no-hl |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, label in TOOLS:
        t = s[name]
        print(f"| {label} | {t['wall']:.3f} | {t['wall_min']:.3f}–{t['wall_max']:.3f} "
              f"| {t['cpu']:.3f} | {t['rss']:.0f} | {t['wall'] / nohl['wall']:.2f} "
              f"| {t['wall'] / floor['wall']:.1f} | {t['cpu'] / nohl['cpu']:.2f} |")
    print()
    cb, cb1 = s["casebook"]["rss"], s["casebook-jobs1"]["rss"]
    print(f"Peak RSS casebook / Hugo: {cb / s['hugo']['rss']:.2f} "
          f"(--jobs 1: {cb1 / s['hugo']['rss']:.2f}); "
          f"casebook / Hugo highlighting off: {cb / nohl['rss']:.2f}")
    with open(os.path.join(d, "summary.json"), "w") as f:
        json.dump({"pages": pages_of(d), "tools": s}, f, indent=1)


def scaling(dirs):
    sums = []
    for d in dirs:
        with open(os.path.join(d, "summary.json")) as f:
            sums.append(json.load(f))
    if len(sums) < 2:
        return
    sums.sort(key=lambda x: x["pages"])
    lo, hi = sums[0], sums[-1]
    print(f"## Scaling, {hi['pages']} pages over {lo['pages']} "
          f"(pages ×{hi['pages'] / lo['pages']:.2f})")
    print()
    for name, label in TOOLS:
        a, b = lo["tools"][name], hi["tools"][name]
        print(f"- {label}: wall ×{b['wall'] / a['wall']:.2f}, CPU ×{b['cpu'] / a['cpu']:.2f}, "
              f"peak RSS ×{b['rss'] / a['rss']:.2f}")


def main(argv):
    if len(argv) == 3 and argv[1] == "table":
        table(argv[2])
    elif len(argv) >= 2 and argv[1] == "scaling":
        scaling(argv[2:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
