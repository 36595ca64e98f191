#!/usr/bin/python3
"""Golden fixtures for mqn4j's Swin from torchvision's own SwinTransformer (torchvision 0.14).

Each fixture is a directory with
  weights.safetensors  torchvision state_dict names (features.1.0.attn.qkv.weight, ...), F32,
                       plus the relative_position_index buffers (I64) as in a real state_dict;
  io.safetensors       input [B,3,H,W]; stage1..stage4 [B,H_i,W_i,C_i]: the raw outputs of
                       features[1], [3], [5], [7] (channels last, no extra norm); logits [B,K].
Weights are seeded random; LayerNorm weights/biases, all biases and the relative position bias
tables are moved away from their initial values so that a dropped or swapped one shows.

  tools/swin_fixtures.py small OUT_DIR          the committed test fixtures (two small models)
  tools/swin_fixtures.py swin_t OUT_DIR --size 480 [--batch 1]   torchvision swin_t, random weights
"""
import argparse
import json
import os
import struct

import torch
from torchvision.models.swin_transformer import SwinTransformer, swin_t

DTYPES = {torch.float32: "F32", torch.int64: "I64"}


def write_safetensors(path, tensors, metadata=None):
    """Minimal safetensors writer: 8-byte LE header length, JSON header, raw LE bytes."""
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous().cpu()
        data = t.numpy().tobytes()
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def perturb(model, seed):
    """Seeded weights with O(1) activations; norms, biases and bias tables away from their init."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "relative_position_bias_table" in name:
                p.copy_(0.5 * torch.randn(p.shape, generator=g))
            elif p.dim() == 1 and ("norm" in name or name.endswith("features.0.2.weight")) and name.endswith("weight"):
                p.copy_(1.0 + 0.2 * torch.randn(p.shape, generator=g))
            elif p.dim() == 1:  # biases of Linear, Conv and LayerNorm
                p.copy_(0.1 * torch.randn(p.shape, generator=g))
            else:  # weights: std 1/sqrt(fan_in)
                fan_in = p[0].numel()
                p.copy_(torch.randn(p.shape, generator=g) / fan_in ** 0.5)


def stage_outputs(model, x):
    outs, y = [], x
    for i, layer in enumerate(model.features):
        y = layer(y)
        if i % 2 == 1:
            outs.append(y)
    return outs


def write_fixture(model, out_dir, batch, height, width, seed, config):
    os.makedirs(out_dir, exist_ok=True)
    perturb(model, seed)
    model.eval()
    g = torch.Generator().manual_seed(seed + 1)
    x = torch.randn((batch, 3, height, width), generator=g)
    with torch.no_grad():
        stages = stage_outputs(model, x)
        logits = model(x)
    io = {"input": x, "logits": logits}
    for i, s in enumerate(stages):
        io["stage%d" % (i + 1)] = s
    meta = {"config": json.dumps(config), "torch": torch.__version__}
    write_safetensors(os.path.join(out_dir, "weights.safetensors"), model.state_dict(), meta)
    write_safetensors(os.path.join(out_dir, "io.safetensors"), io, meta)
    print(out_dir, "input", list(x.shape), "stages", [list(s.shape) for s in stages])


def small(cfg):
    return SwinTransformer(patch_size=[cfg["patch_size"]] * 2, embed_dim=cfg["embed_dim"], depths=cfg["depths"],
                           num_heads=cfg["num_heads"], window_size=[cfg["window_size"]] * 2,
                           mlp_ratio=cfg["mlp_ratio"], stochastic_depth_prob=0.2, num_classes=cfg["num_classes"])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("which", choices=["small", "swin_t"])
    ap.add_argument("out")
    ap.add_argument("--size", type=int, default=224, help="swin_t: input height and width")
    ap.add_argument("--batch", type=int, default=1, help="swin_t: batch size")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    torch.manual_seed(args.seed)
    if args.which == "small":
        # no padding: 96 px -> 24, 12, 6, 3 with window 3 (shift 1 in stages 1-3, none in stage 4)
        even = dict(patch_size=4, embed_dim=8, depths=[2, 2, 2, 1], num_heads=[1, 2, 2, 4], window_size=3,
                    mlp_ratio=4.0, num_classes=5, height=96, width=96)
        # padding: 76x60 -> 19x15, 10x8, 5x4, 3x2 with window 4 (pads every stage, odd sizes in
        # patch merging, shift along H only in stage 3, no shift in stage 4)
        odd = dict(patch_size=4, embed_dim=8, depths=[2, 2, 2, 1], num_heads=[1, 2, 2, 4], window_size=4,
                   mlp_ratio=4.0, num_classes=5, height=76, width=60)
        write_fixture(small(even), os.path.join(args.out, "w3_96x96"), 2, 96, 96, args.seed + 10, even)
        write_fixture(small(odd), os.path.join(args.out, "w4_76x60"), 2, 76, 60, args.seed + 20, odd)
    else:
        cfg = dict(patch_size=4, embed_dim=96, depths=[2, 2, 6, 2], num_heads=[3, 6, 12, 24], window_size=7,
                   mlp_ratio=4.0, num_classes=1000, height=args.size, width=args.size)
        write_fixture(swin_t(), args.out, args.batch, args.size, args.size, args.seed + 30, cfg)


if __name__ == "__main__":
    main()
