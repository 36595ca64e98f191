"""Writes src/test/resources/fixtures/io/torch_dtypes.safetensors: tensors of every dtype the Java
reader supports, with torch's own conversions as the reference.

    /usr/bin/python3 tools/io_fixtures.py

Each half-precision tensor X comes with X_as_f32 = X.float() computed by torch, so the Java test
checks the widening bit for bit (subnormals, infinities, NaN). f16_bits covers every half bit
pattern whose exponent field is 0, 1, 30 or 31 (all subnormals, the smallest normals, the largest
normals, infinities and NaNs) plus 2048 random others; bf16_bits likewise for bfloat16.
"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_io import save, load  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources",
                   "fixtures", "io", "torch_dtypes.safetensors")


def bit_patterns(exp_bits, mant_bits, gen):
    exps = [0, 1, (1 << exp_bits) - 2, (1 << exp_bits) - 1]
    pats = []
    for sign in (0, 1):
        for e in exps:
            base = (sign << (exp_bits + mant_bits)) | (e << mant_bits)
            pats.extend(base | m for m in range(1 << mant_bits))
    pats += torch.randint(0, 1 << 16, (2048,), generator=gen).tolist()
    pats = [p - (1 << 16) if p >= (1 << 15) else p for p in pats]  # as int16
    return torch.tensor(pats, dtype=torch.int16)


def _bits(x):
    """Integer view of floats, so that the round-trip check compares NaNs bit for bit."""
    ints = {torch.float16: torch.int16, torch.bfloat16: torch.int16, torch.float32: torch.int32,
            torch.float64: torch.int64}
    return x.view(ints[x.dtype]) if x.dtype in ints else x


def main():
    gen = torch.Generator().manual_seed(20261127)
    t = {}
    t["f32"] = torch.randn(3, 4, generator=gen)
    special = torch.tensor([0.0, -0.0, 1.0, -2.5, 65504.0, 6.1e-5, 6e-8, 1e-6, float("inf"),
                            float("-inf"), float("nan"), 3.14159, 1e-40, 3e38])
    t["f16"] = torch.cat([special, torch.randn(18, generator=gen) * 100]).reshape(4, 8).half()
    t["f16_as_f32"] = t["f16"].float()
    t["bf16"] = torch.cat([special, torch.randn(18, generator=gen) * 100]).reshape(2, 2, 8).bfloat16()
    t["bf16_as_f32"] = t["bf16"].float()
    t["f16_bits"] = bit_patterns(5, 10, gen).view(torch.float16)
    t["f16_bits_as_f32"] = t["f16_bits"].float()
    t["bf16_bits"] = bit_patterns(8, 7, gen).view(torch.bfloat16)
    t["bf16_bits_as_f32"] = t["bf16_bits"].float()
    t["i64"] = torch.tensor([[0, 1, -1], [2 ** 40, -(2 ** 62), 2 ** 63 - 1]], dtype=torch.int64)
    t["f64"] = torch.randn(2, 3, generator=gen, dtype=torch.float64)
    t["i32"] = torch.tensor([-7, 0, 2 ** 31 - 1], dtype=torch.int32)
    t["u8"] = torch.tensor([0, 7, 255], dtype=torch.uint8)
    t["bool"] = torch.tensor([[True, False], [False, True]])
    t["scalar"] = torch.tensor(2.75)
    t["empty"] = torch.zeros(0, 3)
    save(OUT, t, {"format": "pt", "source": "tools/io_fixtures.py"})
    back, _ = load(OUT)
    for k, v in t.items():
        assert back[k].dtype == v.dtype and back[k].shape == v.shape, k
        assert torch.equal(_bits(back[k]), _bits(v)), k
    print("wrote", os.path.normpath(OUT), os.path.getsize(OUT), "bytes")


if __name__ == "__main__":
    main()
