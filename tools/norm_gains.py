"""The gain `channel_norm` would give pictures of each kind: dark-backdrop pictures (which need none) against dim ones
(which need 1/0.65 = 1.54), for the channel means and for power means (mean of v^p)^(1/p) of several p
(results/input-norm.md; ChannelMeanNorm's highlights mode uses p = 32).

    /usr/bin/python3 tools/norm_gains.py --data data/demo --dim data/shift/dim_warm

Targets are each statistic's average over up to 500 of --data's training pictures, as `mqn train` measures them.
The gain of a picture is the mean over R, G, B of target / statistic; the table gives medians. Needs numpy and Pillow.
"""
import argparse
import json
import os

import numpy as np
from PIL import Image


def records(root, split):
    with open(os.path.join(root, split + ".jsonl"), encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def pixels(root, r):
    return np.asarray(Image.open(os.path.join(root, r["image"])).convert("RGB"), dtype=np.float64).reshape(-1, 3) / 255


def statistic(a, p):
    return a.mean(0) if p == 1 else (a ** p).mean(0) ** (1.0 / p)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--dim", required=True, help="a dim copy of --data's test split (tools/shift_split.py dim_warm)")
    ap.add_argument("--powers", default="1,8,32")
    ap.add_argument("--dark", type=float, default=130, help="a picture is dark below this mean value (0..255)")
    args = ap.parse_args()
    powers = [int(p) for p in args.powers.split(",")]
    train = records(args.data, "train")
    train = [pixels(args.data, r) for r in train[:: max(1, len(train) // 500)]]
    test = records(args.data, "test")
    plain = {r["id"]: pixels(args.data, r) for r in test}
    dim = {r["id"]: pixels(args.dim, r) for r in records(args.dim, "test")}
    dark = [i for i, a in plain.items() if a.mean() * 255 < args.dark]
    light = [i for i, a in plain.items() if a.mean() * 255 >= 200]
    print("| statistic | target (R, G, B) | dark pictures (%d) | light pictures (%d) | light pictures, dim warm |"
          % (len(dark), len(light)))
    print("|---|---|---|---|---|")
    for p in powers:
        target = np.mean([statistic(a, p) for a in train], axis=0)

        def gain(a):
            return float((target / np.maximum(statistic(a, p), 1 / 255)).mean())
        name = "channel means" if p == 1 else "power mean, p = %d" % p
        print("| %s | %s | %.2f | %.2f | %.2f |" % (name, ", ".join("%.1f" % (255 * t) for t in target),
                                                    np.median([gain(plain[i]) for i in dark]),
                                                    np.median([gain(plain[i]) for i in light]),
                                                    np.median([gain(dim[i]) for i in light])))


if __name__ == "__main__":
    main()
