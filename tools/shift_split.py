"""Copies of an MMPS split under conditions our generator does not draw: a stand-in for product photos made
by another program (other light, camera, clutter), to see how a trained model holds up (results/shift.md).

    /usr/bin/python3 tools/shift_split.py --data data/demo --split test --out data/shift

writes data/shift/<variant>/{test.jsonl, images/, masks/} for each variant:
  dim_warm      tungsten light: 0.65x brightness, gains (1.08, 1.0, 0.85)
  bright_cool   overexposed daylight: 1.3x brightness, gains (0.92, 1.0, 1.10), clipped
  vignette      light falling off from the centre to 0.5x in the corners, and a soft diagonal shadow
  blur_jpeg     a cheap camera: Gaussian blur (radius 1 px at 96 px) and JPEG quality 30
  hand          a skin-coloured ellipse (a hand, a price tag) over part of the target; the hidden pixels leave the mask
Masks are copied unchanged except for `hand`. Deterministic (numpy seeded by the record's position).
Needs numpy and Pillow only (Debian: python3-numpy, python3-pil).
"""
import argparse
import json
import os

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

VARIANTS = ["dim_warm", "bright_cool", "vignette", "blur_jpeg", "hand"]


def light(img, scale, gains):
    a = np.asarray(img, dtype=np.float32) * scale * np.asarray(gains, dtype=np.float32)
    return Image.fromarray(np.clip(np.rint(a), 0, 255).astype(np.uint8))


def vignette(img, rng):
    a = np.asarray(img, dtype=np.float32)
    h, w = a.shape[:2]
    y, x = np.mgrid[0:h, 0:w]
    r = np.hypot((x + 0.5) / w - 0.5, (y + 0.5) / h - 0.5) / np.hypot(0.5, 0.5)
    fall = 1.0 - 0.5 * r ** 2
    ang = rng.uniform(0, 2 * np.pi)
    t = ((x + 0.5) / w - 0.5) * np.cos(ang) + ((y + 0.5) / h - 0.5) * np.sin(ang)
    shadow = 1.0 - 0.35 / (1.0 + np.exp(-t * 12))  # one side of the picture in a soft shadow
    a = a * (fall * shadow)[..., None]
    return Image.fromarray(np.clip(np.rint(a), 0, 255).astype(np.uint8))


def blur_jpeg(img, path):
    radius = img.width / 96.0
    img.filter(ImageFilter.GaussianBlur(radius)).save(path, quality=30)


def hand(img, mask, rng):
    m = np.asarray(mask) >= 128
    h, w = m.shape
    ys, xs = np.nonzero(m)
    if len(xs) == 0:
        return img, mask
    # centred on a random target pixel, so that it covers part of the target
    k = rng.integers(len(xs))
    cx, cy = xs[k], ys[k]
    area = rng.uniform(0.05, 0.12) * w * h
    aspect = np.exp(rng.uniform(-0.6, 0.6))
    rx, ry = np.sqrt(area * aspect / np.pi), np.sqrt(area / aspect / np.pi)
    skin = tuple(int(v) for v in rng.choice([(233, 192, 160), (198, 150, 118), (141, 96, 70)]))
    occ = Image.new("L", (w, h), 0)
    ImageDraw.Draw(occ).ellipse([cx - rx, cy - ry, cx + rx, cy + ry], fill=255)
    out = img.copy()
    out.paste(Image.new("RGB", (w, h), skin), (0, 0), occ)
    hidden = np.asarray(occ) >= 128
    new_mask = Image.fromarray(np.where(m & ~hidden, 255, 0).astype(np.uint8))
    return out, new_mask


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", required=True)
    p.add_argument("--split", default="test")
    p.add_argument("--out", required=True)
    p.add_argument("--variants", default=",".join(VARIANTS))
    args = p.parse_args()
    with open(os.path.join(args.data, args.split + ".jsonl"), encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    for variant in args.variants.split(","):
        if variant not in VARIANTS:
            raise SystemExit("unknown variant %s (known: %s)" % (variant, ", ".join(VARIANTS)))
        root = os.path.join(args.out, variant)
        os.makedirs(os.path.join(root, "images"), exist_ok=True)
        os.makedirs(os.path.join(root, "masks"), exist_ok=True)
        lines = []
        for i, r in enumerate(records):
            rng = np.random.default_rng(i)
            img = Image.open(os.path.join(args.data, r["image"])).convert("RGB")
            mask = Image.open(os.path.join(args.data, r["mask"])).convert("L")
            out = dict(r)
            out["image"] = "images/%s.%s" % (r["id"], "jpg" if variant == "blur_jpeg" else "png")
            out["mask"] = "masks/%s.png" % r["id"]
            ipath = os.path.join(root, out["image"])
            if variant == "dim_warm":
                light(img, 0.65, (1.08, 1.0, 0.85)).save(ipath)
            elif variant == "bright_cool":
                light(img, 1.3, (0.92, 1.0, 1.10)).save(ipath)
            elif variant == "vignette":
                vignette(img, rng).save(ipath)
            elif variant == "blur_jpeg":
                blur_jpeg(img, ipath)
            elif variant == "hand":
                img, mask = hand(img, mask, rng)
                img.save(ipath)
            mask.save(os.path.join(root, out["mask"]))
            lines.append(json.dumps(out, ensure_ascii=False))
        with open(os.path.join(root, args.split + ".jsonl"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        print("%s: %d records -> %s" % (variant, len(records), root))


if __name__ == "__main__":
    main()
