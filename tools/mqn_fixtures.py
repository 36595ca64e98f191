#!/usr/bin/python3
"""Torch reference fixtures for mqn4j's fusion modules, written from ../shared/design/MQN.md
(Eq. 5-11) independently of the Java code, with seeded random weights under the Java variable
names (Linear / 1x1-conv weights [out, in], 3x3 conv weights [out, in, 3, 3] as torch stores them).
Feature maps are channels last [B, H, W, C] as in the Java graph. Computed in float64, stored F64.

  tools/mqn_fixtures.py OUT_DIR     writes bilinear.safetensors, fusion.safetensors, decoder.safetensors,
                                    decoder_fine.safetensors, decoder_group.safetensors

bilinear: x [2,5,7,3] and F.interpolate(bilinear, align_corners=False) to several sizes (up, down, odd).
fusion:   one stage: V [2,3,4,6], L [2,5,8], mask (second title padded) -> S, F_m, A, F_f, fused
          (V + tanh(gate) * F_f, the early fusion add), under fusion.1.{lqv,vql}.* and fusion.1.gate.
decoder:  F^1..F^4 at the stage sizes of a 36 px image (9, 5, 3, 2), widths 4, 8, 16, 32, decoder
          width 6 -> logits [2, 2, 36, 36] under decoder.*.
decoder_fine: the same with the fine stage (not in the paper): E = Conv2d(3, 5, 2, stride=2)(image [2,3,36,36]),
          D_0 = two conv blocks on Cat(Up(D_1) to 18x18, E), classifier on D_0, Up to 36 x 36.
decoder_group: decoder_fine with nn.GroupNorm(1, C) after each convolution in place of the per-pixel LayerNorm
          (decoder_norm: group; not in the paper).
"""
import math
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_io import save  # noqa: E402

torch.manual_seed(5)
DT = torch.float64


def rnd(*shape, scale=1.0):
    return (torch.randn(*shape, dtype=DT) * scale)


def up(x, h, w):
    """Channels-last bilinear resize, torch semantics (align_corners=False)."""
    return F.interpolate(x.permute(0, 3, 1, 2), size=(h, w), mode="bilinear", align_corners=False).permute(0, 2, 3, 1)


def bilinear(out_dir):
    x = rnd(2, 5, 7, 3)
    t = {"x": x}
    for h, w in [(10, 14), (15, 30), (8, 11), (3, 4), (5, 20)]:
        t[f"out_{h}x{w}"] = up(x, h, w)
    save(os.path.join(out_dir, "bilinear.safetensors"), t, {"format": "pt"})


def linear(x, w, b):
    return x @ w.T + b


def fusion(out_dir):
    B, h, w, C, T, Cl = 2, 3, 4, 6, 5, 8
    V = rnd(B, h, w, C)
    L = rnd(B, T, Cl)
    m = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]], dtype=DT)
    W = {}
    for name, (o, i) in {"fusion.1.lqv.lq": (C, Cl), "fusion.1.lqv.vk": (C, C),
                         "fusion.1.vql.vq": (C, C), "fusion.1.vql.mk": (C, C)}.items():
        W[name + ".weight"] = rnd(o, i, scale=1 / math.sqrt(i))
        W[name + ".bias"] = rnd(o, scale=0.3)
    W["fusion.1.gate"] = rnd(C)
    N = h * w
    Vf = V.reshape(B, N, C)
    Ql = linear(L, W["fusion.1.lqv.lq.weight"], W["fusion.1.lqv.lq.bias"])            # (5)
    Kv = linear(Vf, W["fusion.1.lqv.vk.weight"], W["fusion.1.lqv.vk.bias"])           # (5)
    S = Kv @ Ql.transpose(1, 2) / math.sqrt(C)                                         # (6)
    Fm = (S * m[:, None, :]) @ Ql / m.sum(1)[:, None, None]                            # (6)
    Qv = linear(Vf, W["fusion.1.vql.vq.weight"], W["fusion.1.vql.vq.bias"])           # (7)
    A = torch.softmax(S + (m[:, None, :] - 1) * 1e4, dim=-1)                           # (8)
    Km = linear(A @ Ql, W["fusion.1.vql.mk.weight"], W["fusion.1.vql.mk.bias"])       # (8)
    Ff = Qv * Km                                                                       # (9)
    fused = V + torch.tanh(W["fusion.1.gate"]) * Ff.reshape(B, h, w, C)                # (10), before merging
    t = dict(W)
    t.update({"V": V, "L": L, "mask": m, "S": S, "F_m": Fm.reshape(B, h, w, C), "A": A,
              "F_f": Ff.reshape(B, h, w, C), "fused": fused})
    save(os.path.join(out_dir, "fusion.safetensors"), t, {"format": "pt"})


def layer_norm_channels(x, weight, bias):
    return F.layer_norm(x, (x.shape[-1],), weight, bias, 1e-5)


def group_norm_channels(x, weight, bias):
    """GroupNorm(1, C) of a channels-last map: each sample normalised over all its h*w*C values."""
    return F.group_norm(x.permute(0, 3, 1, 2), 1, weight, bias, 1e-5).permute(0, 2, 3, 1)


def conv3x3(x, weight):
    return F.conv2d(x.permute(0, 3, 1, 2), weight, padding=1).permute(0, 2, 3, 1)


def decoder(out_dir, fine=0, group=False):
    norm = group_norm_channels if group else layer_norm_channels
    B, S, width = 2, 36, 6
    sizes = [(9, 9), (5, 5), (3, 3), (2, 2)]
    dims = [4, 8, 16, 32]
    feats = [rnd(B, hh, ww, c) for (hh, ww), c in zip(sizes, dims)]
    W = {}
    d = feats[3]                                                                       # D_4 = F^4
    dc = dims[3]
    for i in (2, 1, 0):                                                                # D_3, D_2, D_1
        p = f"decoder.{i + 1}"
        x = torch.cat([up(d, *sizes[i]), feats[i]], dim=-1)                            # Cat(Up(D_{i+1}), F^i)
        for k, cin in (("1", dc + dims[i]), ("2", width)):
            W[f"{p}.conv{k}.weight"] = rnd(width, cin, 3, 3, scale=1 / math.sqrt(9 * cin))
            W[f"{p}.norm{k}.weight"] = 1 + rnd(width, scale=0.2)
            W[f"{p}.norm{k}.bias"] = rnd(width, scale=0.2)
            x = torch.relu(norm(conv3x3(x, W[f"{p}.conv{k}.weight"]),
                                W[f"{p}.norm{k}.weight"], W[f"{p}.norm{k}.bias"]))
        d, dc = x, width
    t = {}
    if fine:
        image = rnd(B, 3, S, S)
        t["image"] = image
        W["decoder.0.stem.weight"] = rnd(fine, 3, 2, 2, scale=0.3)
        W["decoder.0.stem.bias"] = rnd(fine, scale=0.3)
        e = F.conv2d(image, W["decoder.0.stem.weight"], W["decoder.0.stem.bias"], stride=2).permute(0, 2, 3, 1)
        x = torch.cat([up(d, S // 2, S // 2), e], dim=-1)                              # Cat(Up(D_1), E)
        for k, cin in (("1", dc + fine), ("2", fine)):
            W[f"decoder.0.conv{k}.weight"] = rnd(fine, cin, 3, 3, scale=1 / math.sqrt(9 * cin))
            W[f"decoder.0.norm{k}.weight"] = 1 + rnd(fine, scale=0.2)
            W[f"decoder.0.norm{k}.bias"] = rnd(fine, scale=0.2)
            x = torch.relu(norm(conv3x3(x, W[f"decoder.0.conv{k}.weight"]),
                                W[f"decoder.0.norm{k}.weight"], W[f"decoder.0.norm{k}.bias"]))
        d, dc = x, fine
    W["decoder.classifier.weight"] = rnd(2, dc, scale=1 / math.sqrt(dc))
    W["decoder.classifier.bias"] = rnd(2, scale=0.3)
    m = linear(d, W["decoder.classifier.weight"], W["decoder.classifier.bias"])       # Conv1x1(D_1 or D_0)
    logits = up(m, S, S).permute(0, 3, 1, 2)                                           # Up to input size, [B,2,S,S]
    t.update(W)
    for i, f in enumerate(feats):
        t[f"F{i + 1}"] = f
    t["logits"] = logits
    name = "decoder_group" if group else "decoder_fine" if fine else "decoder"
    save(os.path.join(out_dir, name + ".safetensors"), t, {"format": "pt"})


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "src/test/resources/fixtures/mqn"
    os.makedirs(out, exist_ok=True)
    bilinear(out)
    fusion(out)
    decoder(out)
    decoder(out, fine=5)
    decoder(out, fine=5, group=True)
    print("wrote", out)
