"""A copy of an MMPS split with each picture's colour cast and brightness removed: every channel is scaled so
that the picture's channel means equal the mean over a reference split's pictures. Used on test splits only
(results/long-referents.md) and on every split to train on normalised pictures (results/channel-norm.md).

    /usr/bin/python3 tools/channel_norm.py --data data/shift_long/dim_warm --split test \\
        --ref data/long --ref-split train --out data/norm_long/dim_warm

writes OUT/{SPLIT.jsonl, images/, masks/}; masks are copied unchanged. A global gain per channel (dim or warm light,
overexposure) then gives back the same picture up to clipping and rounding. Needs numpy and Pillow only.
"""
import argparse
import json
import os
import shutil

import numpy as np
from PIL import Image


def read_records(root, split):
    with open(os.path.join(root, split + ".jsonl"), encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def channel_means(path):
    return np.asarray(Image.open(path).convert("RGB"), dtype=np.float64).reshape(-1, 3).mean(0)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", required=True)
    p.add_argument("--split", default="test")
    p.add_argument("--ref", required=True, help="dataset whose pictures give the target channel means")
    p.add_argument("--ref-split", default="train")
    p.add_argument("--ref-samples", type=int, default=500, help="reference pictures averaged (evenly spaced)")
    p.add_argument("--out", required=True)
    args = p.parse_args()
    refs = read_records(args.ref, args.ref_split)
    refs = refs[:: max(1, len(refs) // args.ref_samples)]
    target = np.mean([channel_means(os.path.join(args.ref, r["image"])) for r in refs], axis=0)
    print("reference channel means (R, G, B) over %d pictures: %.1f %.1f %.1f" % (len(refs), *target))
    os.makedirs(os.path.join(args.out, "images"), exist_ok=True)
    os.makedirs(os.path.join(args.out, "masks"), exist_ok=True)
    records = read_records(args.data, args.split)
    lines = []
    for r in records:
        img = np.asarray(Image.open(os.path.join(args.data, r["image"])).convert("RGB"), dtype=np.float64)
        img = img * (target / np.maximum(img.reshape(-1, 3).mean(0), 1e-3))
        out = dict(r)
        out["image"] = "images/%s.png" % r["id"]
        out["mask"] = "masks/" + os.path.basename(r["mask"])
        Image.fromarray(np.clip(np.rint(img), 0, 255).astype(np.uint8)).save(os.path.join(args.out, out["image"]))
        shutil.copyfile(os.path.join(args.data, r["mask"]), os.path.join(args.out, out["mask"]))
        lines.append(json.dumps(out, ensure_ascii=False))
    with open(os.path.join(args.out, args.split + ".jsonl"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print("%d records -> %s" % (len(records), args.out))


if __name__ == "__main__":
    main()
