"""mIoU of an occluded copy of a split by how much of each target the occluder leaves visible, beside the same
samples' mIoU without the occluder (results/occlusion.md).

    /usr/bin/python3 tools/occlusion_breakdown.py --clean data/demo --occluded data/shift/hand \\
        --clean-samples <eval dir on data/demo>/samples.csv --occluded-samples <eval dir on data/shift/hand>/samples.csv

The visible fraction of a sample is its occluded mask's area over its clean mask's area. Needs numpy and Pillow.
"""
import argparse
import csv
import json
import os

import numpy as np
from PIL import Image

BINS = [(0.0, 0.25), (0.25, 0.5), (0.5, 0.75), (0.75, 1.01)]


def area(root, rel):
    return int((np.asarray(Image.open(os.path.join(root, rel)).convert("L")) >= 128).sum())


def ious(path):
    with open(path, encoding="utf-8") as f:
        return {r["id"]: float(r["iou"]) for r in csv.DictReader(f)}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--clean", required=True)
    p.add_argument("--occluded", required=True)
    p.add_argument("--split", default="test")
    p.add_argument("--clean-samples", required=True)
    p.add_argument("--occluded-samples", required=True)
    args = p.parse_args()
    with open(os.path.join(args.occluded, args.split + ".jsonl"), encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    with open(os.path.join(args.clean, args.split + ".jsonl"), encoding="utf-8") as f:
        clean_masks = {r["id"]: r["mask"] for r in map(json.loads, filter(str.strip, f))}
    visible = {r["id"]: area(args.occluded, r["mask"]) / max(1, area(args.clean, clean_masks[r["id"]])) for r in records}
    clean, occluded = ious(args.clean_samples), ious(args.occluded_samples)
    print("| visible part of the target | samples | mIoU occluded | mIoU clean | difference |")
    print("|---|---|---|---|---|")
    for lo, hi in BINS:
        ids = [i for i, v in visible.items() if lo <= v < hi]
        if ids:
            o = 100 * np.mean([occluded[i] for i in ids])
            c = 100 * np.mean([clean[i] for i in ids])
            print(f"| {lo:.0%}-{min(hi, 1.0):.0%} | {len(ids)} | {o:.1f} | {c:.1f} | {o - c:+.1f} |")


if __name__ == "__main__":
    main()
