"""mIoU by how bright a test picture is: the mean of its R, G and B values (0..255), in bands. Shows what a model
does with pictures darker than most of its training pictures (results/input-norm.md).

    /usr/bin/python3 tools/brightness_breakdown.py --data data/demo --split test \\
        results/demo/eval-mqn/samples.csv results/input-norm/CM0/test-samples.csv

Each CSV is a samples.csv of `mqn eval` (columns id, iou) on that split. Needs numpy and Pillow only.
"""
import argparse
import csv
import json
import os

import numpy as np
from PIL import Image


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", required=True)
    p.add_argument("--split", default="test")
    p.add_argument("--edges", default="0,130,170,200,256", help="band edges of the mean pixel value")
    p.add_argument("samples", nargs="+", help="samples.csv files of mqn eval on --data/--split")
    args = p.parse_args()
    edges = [float(e) for e in args.edges.split(",")]
    bright = {}
    with open(os.path.join(args.data, args.split + ".jsonl"), encoding="utf-8") as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                img = np.asarray(Image.open(os.path.join(args.data, r["image"])).convert("RGB"), dtype=np.float64)
                bright[r["id"]] = img.mean()
    bands = [[i for i, v in bright.items() if lo <= v < hi] for lo, hi in zip(edges, edges[1:])]
    names = ["%g-%g" % (lo, hi) for lo, hi in zip(edges, edges[1:])]
    print("| samples | all | " + " | ".join("mean value %s (%d)" % (n, len(b)) for n, b in zip(names, bands)) + " |")
    print("|---" * (len(bands) + 2) + "|")
    for path in args.samples:
        with open(path, encoding="utf-8") as f:
            iou = {row["id"]: float(row["iou"]) for row in csv.DictReader(f)}
        missing = [i for i in bright if i not in iou]
        if missing:
            raise SystemExit("%s lacks %d of the split's ids (first: %s)" % (path, len(missing), missing[0]))
        cells = ["%.1f" % (100 * np.mean([iou[i] for i in b])) if b else "-" for b in bands]
        print("| %s | %.1f | %s |" % (path, 100 * np.mean([iou[i] for i in bright]), " | ".join(cells)))


if __name__ == "__main__":
    main()
