"""Writes DATA/OUT.jsonl: the records of DATA/SPLIT.jsonl whose picture's mean pixel value (over R, G, B, 0..255) is below
--below, a test split of dark-backdrop scenes for `mqn eval --split OUT` (results/input-norm.md).

    ./mqn synth --out data/dark_pool --train 0 --val 0 --test 4000 --size 96 --seed 11
    /usr/bin/python3 tools/dark_split.py --data data/dark_pool --split test --below 130 --out dark

Needs numpy and Pillow only.
"""
import argparse
import json
import os

import numpy as np
from PIL import Image


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", required=True)
    p.add_argument("--split", default="test")
    p.add_argument("--below", type=float, default=130)
    p.add_argument("--out", default="dark", help="name of the split written beside the others")
    args = p.parse_args()
    keep = []
    with open(os.path.join(args.data, args.split + ".jsonl"), encoding="utf-8") as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                img = np.asarray(Image.open(os.path.join(args.data, r["image"])).convert("RGB"), dtype=np.float64)
                if img.mean() < args.below:
                    keep.append(line.strip())
    with open(os.path.join(args.data, args.out + ".jsonl"), "w", encoding="utf-8") as f:
        f.write("\n".join(keep) + "\n")
    print("%d records -> %s" % (len(keep), os.path.join(args.data, args.out + ".jsonl")))


if __name__ == "__main__":
    main()
