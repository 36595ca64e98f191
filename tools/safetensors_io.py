"""Minimal safetensors reader/writer for torch tensors, written from the format description
(https://github.com/huggingface/safetensors#format) because the `safetensors` package is not
installable here. Usable from the other tools/ scripts:

    from safetensors_io import save, load
    save("w.safetensors", {"a": torch.zeros(2, 3)}, {"format": "pt"})
    tensors, metadata = load("w.safetensors")
"""
import json
import struct

import torch

_CODES = {
    torch.float64: "F64", torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16",
    torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8",
    torch.uint8: "U8", torch.bool: "BOOL",
}
_DTYPES = {v: k for k, v in _CODES.items()}


def _raw_bytes(t):
    t = t.detach().cpu().contiguous()
    if t.numel() == 0:
        return b""
    if t.dtype in (torch.float16, torch.bfloat16):
        return t.view(torch.int16).numpy().tobytes()  # numpy has no bfloat16
    return t.numpy().tobytes()  # little-endian on this machine, as the format requires


def save(path, tensors, metadata=None):
    """Writes {name: tensor} in insertion order, data 8-byte aligned as the reference writer does."""
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    for name, t in tensors.items():
        b = _raw_bytes(t)
        header[name] = {"dtype": _CODES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def load(path):
    """Returns ({name: tensor}, metadata)."""
    with open(path, "rb") as f:
        data = f.read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    base = 8 + n
    out = {}
    for name, e in header.items():
        dt = _DTYPES[e["dtype"]]
        b, end = e["data_offsets"]
        raw = bytearray(data[base + b:base + end])
        if dt in (torch.float16, torch.bfloat16):
            t = torch.frombuffer(raw, dtype=torch.int16).view(dt) if raw else torch.empty(0, dtype=dt)
        else:
            t = torch.frombuffer(raw, dtype=dt) if raw else torch.empty(0, dtype=dt)
        out[name] = t.reshape(e["shape"]).clone()
    return out, metadata
