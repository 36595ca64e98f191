#!/usr/bin/python3
"""Converts a PyTorch checkpoint (.pth/.bin/.pt) to safetensors for mqn4j, keeping the names.

    /usr/bin/python3 tools/pth_to_safetensors.py swin_base_patch4_window12_384_22k.pth swin_b_w12.safetensors

Unwraps the usual containers ({"model": ...}, {"state_dict": ...}, {"module": ...}), keeps every
tensor (buffers too: mqn4j reports what it does not use) and converts float64 to float32 unless
--keep-f64. Only load checkpoints you trust: torch.load runs pickled code.
"""
import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_io import save  # noqa: E402


def state_dict(obj):
    for key in ("model", "state_dict", "module", "model_state"):
        if isinstance(obj, dict) and key in obj and isinstance(obj[key], dict):
            return state_dict(obj[key])
    if not isinstance(obj, dict):
        raise SystemExit("error: the checkpoint is not a state dict (got %s)" % type(obj).__name__)
    return obj


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("src")
    ap.add_argument("dst")
    ap.add_argument("--keep-f64", action="store_true")
    args = ap.parse_args()
    sd = state_dict(torch.load(args.src, map_location="cpu"))
    out, skipped = {}, []
    for k, v in sd.items():
        if not torch.is_tensor(v):
            skipped.append(k)
            continue
        if v.dtype == torch.float64 and not args.keep_f64:
            v = v.float()
        out[k] = v
    save(args.dst, out, {"format": "pt", "converted_from": os.path.basename(args.src)})
    print(f"wrote {args.dst}: {len(out)} tensors" + (f", skipped non-tensors {skipped}" if skipped else ""))


if __name__ == "__main__":
    main()
