"""Makes the reference fixtures of the data tests (run with /usr/bin/python3; torch 1.13, Pillow 9.4).

resize_torch.json: F.interpolate(bilinear, align_corners=False, antialias=True) of a random 3x5x7
uint8 image scaled to [0,1], to several sizes (enlarging, the same as antialias=False), and of a random
3x37x53 image to smaller sizes ("shrink", where the antialiasing filter acts); and the nearest-neighbour source index of every
output pixel for several (in, out) pairs, from F.interpolate(mode="nearest") of arange(in).
cmyk.jpg: a 16x16 CMYK JPEG (Adobe, as PIL writes it) with quadrants white, cyan, black, red.
"""
import json, os
import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

here = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(0)
img = rng.integers(0, 256, size=(3, 5, 7), dtype=np.uint8)
x = torch.from_numpy(img.astype(np.float32) / 255.0)[None]
bilinear = []
for h, w in [(3, 4), (8, 11), (5, 7), (13, 2), (2, 3)]:
    y = F.interpolate(x, size=(h, w), mode="bilinear", align_corners=False, antialias=True)[0]
    bilinear.append({"h": h, "w": w, "out": y.flatten().tolist()})
big = rng.integers(0, 256, size=(3, 37, 53), dtype=np.uint8)
xb = torch.from_numpy(big.astype(np.float32) / 255.0)[None]
shrink = []
for h, w in [(5, 7), (12, 20), (36, 52), (37, 9), (3, 53), (1, 1)]:
    y = F.interpolate(xb, size=(h, w), mode="bilinear", align_corners=False, antialias=True)[0]
    shrink.append({"h": h, "w": w, "out": y.flatten().tolist()})
nearest = []
for n_in, n_out in [(97, 128), (800, 480), (480, 800), (5, 3), (3, 7), (128, 96), (333, 480), (7, 14)]:
    a = torch.arange(n_in, dtype=torch.float32).reshape(1, 1, 1, n_in)
    idx = F.interpolate(a, size=(1, n_out), mode="nearest")[0, 0, 0].long().tolist()
    nearest.append({"in": n_in, "out": n_out, "index": idx})
with open(os.path.join(here, "resize_torch.json"), "w") as f:
    json.dump({"torch": torch.__version__, "image_chw": img.flatten().tolist(), "c": 3, "h": 5, "w": 7,
               "bilinear": bilinear, "nearest": nearest,
               "shrink_image_chw": big.flatten().tolist(), "shrink_h": 37, "shrink_w": 53, "shrink": shrink}, f)

cmyk = np.zeros((16, 16, 4), dtype=np.uint8)
cmyk[:8, 8:] = (255, 0, 0, 0)     # cyan, top right
cmyk[8:, :8] = (0, 0, 0, 255)     # black, bottom left
cmyk[8:, 8:] = (0, 255, 255, 0)   # red, bottom right
Image.fromarray(cmyk, mode="CMYK").save(os.path.join(here, "cmyk.jpg"), quality=95)
