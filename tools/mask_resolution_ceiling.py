#!/usr/bin/python3
"""How well can a mask drawn at a coarser grid follow the ground truth? For every mask of a split,
average it to an s x s grid (what a perfect decoder at that stride could at best predict), resize
back to the full size bilinearly (torch align_corners=False, as the Decoder's last Up) and
threshold at 0.5: the mean IoU of those masks is the ceiling of a decoder whose classifier works
at that grid.

  tools/mask_resolution_ceiling.py DATA_DIR [SPLIT] [GRID ...]     e.g. data/long test 12 24 48
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image


def main():
    data = sys.argv[1]
    split = sys.argv[2] if len(sys.argv) > 2 else "test"
    grids = [int(g) for g in sys.argv[3:]] or [12, 24, 48]
    recs = [json.loads(line) for line in open(os.path.join(data, split + ".jsonl"), encoding="utf-8")]
    masks = [np.array(Image.open(os.path.join(data, r["mask"]))) > 0 for r in recs]
    distractors = np.array([r.get("n_distractors", 0) > 0 for r in recs])
    print(f"{data} {split}: {len(masks)} masks of {masks[0].shape[1]}x{masks[0].shape[0]}, "
          f"median area {np.median([m.sum() for m in masks]):.0f} px")
    print("| grid | stride | mIoU | P@0.9 | mIoU with distractors | mIoU without |")
    print("|---|---|---|---|---|---|")
    for g in grids:
        ious = []
        for m in masks:
            t = torch.tensor(m, dtype=torch.float64)[None, None]
            coarse = F.adaptive_avg_pool2d(t, g)
            back = F.interpolate(coarse, size=m.shape, mode="bilinear", align_corners=False)[0, 0].numpy() > 0.5
            union = (back | m).sum()
            ious.append((back & m).sum() / union if union else 1.0)
        ious = np.array(ious)
        print(f"| {g}x{g} | {m.shape[0] / g:g} | {100 * ious.mean():.2f} | {100 * (ious >= 0.9).mean():.1f} | "
              f"{100 * ious[distractors].mean():.2f} | {100 * ious[~distractors].mean():.2f} |")


if __name__ == "__main__":
    main()
