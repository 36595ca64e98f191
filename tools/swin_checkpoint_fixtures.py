"""Reference data for org.mqn4j.swin.SwinCheckpoint, from torch/torchvision themselves.

    /usr/bin/python3 tools/swin_checkpoint_fixtures.py

Writes to src/test/resources/fixtures/swin/:
  torchvision_shapes.json       {"swin_t": {name: shape}, "swin_b": {...}}: the state_dict of
                                torchvision's swin_t and swin_b (parameters and buffers), the truth
                                the name schemes are renamed into and the configuration is inferred from.
  bias_table_resize.safetensors a relative position bias table for window 7 (3 heads) and its
                                resizing to windows 12 and 4 exactly as the official Swin / LAVT code
                                does it: F.interpolate(mode='bicubic') on the [heads, 2W-1, 2W-1] grid.
  w3_to_w5_io.safetensors       input [1,3,64,64] and stage1..stage4 of torchvision's SwinTransformer at
                                window 5 holding the weights of fixtures/swin/w3_96x96 (window 3, from
                                tools/swin_fixtures.py) with their bias tables resized as above: the
                                reference for `mqn verify swin --window 5` on those weights.
"""
import json
import os
import sys

import torch
import torch.nn.functional as F
from torchvision.models import swin_b, swin_t
from torchvision.models.swin_transformer import SwinTransformer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_io import load, save  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "fixtures", "swin")


def resize_table(table, window):
    """Official Swin utils.load_pretrained: [L1, nH] -> [L2, nH] by bicubic interpolation."""
    l1, heads = table.shape
    s1 = int(l1 ** 0.5)
    s2 = 2 * window - 1
    grid = table.permute(1, 0).view(1, heads, s1, s1)
    out = F.interpolate(grid, size=(s2, s2), mode="bicubic", align_corners=False)
    return out.view(heads, s2 * s2).permute(1, 0).contiguous()


def main():
    os.makedirs(OUT, exist_ok=True)
    shapes = {}
    for name, ctor in (("swin_t", swin_t), ("swin_b", swin_b)):
        sd = ctor().state_dict()
        shapes[name] = {k: list(v.shape) for k, v in sd.items()}
    with open(os.path.join(OUT, "torchvision_shapes.json"), "w") as f:  # one tensor a line
        f.write("{\n" + ",\n".join(
            json.dumps(m) + ": {\n" + ",\n".join(f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in s.items()) + "\n}"
            for m, s in shapes.items()) + "\n}\n")
    with open(os.path.join(OUT, "torchvision_shapes.json")) as f:
        assert json.load(f) == shapes
    g = torch.Generator().manual_seed(7)
    # smooth + noise, so interpolation errors show both in the trend and in the detail
    ii, jj = torch.meshgrid(torch.arange(13.0), torch.arange(13.0), indexing="ij")
    smooth = torch.stack([torch.sin(ii / 3) + torch.cos(jj / 4), ii * jj / 50, (ii - 6) ** 2 / 20 - jj / 5])
    table7 = (smooth + 0.3 * torch.randn(3, 13, 13, generator=g)).reshape(3, 169).permute(1, 0).contiguous()
    tensors = {"table_w7": table7, "table_w12": resize_table(table7, 12), "table_w4": resize_table(table7, 4),
               "table_w7_same": resize_table(table7, 7)}
    save(os.path.join(OUT, "bias_table_resize.safetensors"), tensors,
         {"source": "tools/swin_checkpoint_fixtures.py", "torch": torch.__version__})
    print("wrote", os.path.normpath(OUT), {k: list(v.shape) for k, v in tensors.items()})
    window_resize_fixture()


def window_resize_fixture():
    weights, meta = load(os.path.join(OUT, "w3_96x96", "weights.safetensors"))
    sd = {}
    for k, v in weights.items():
        if k.endswith("relative_position_index"):
            continue
        sd[k] = resize_table(v, 5) if k.endswith("relative_position_bias_table") else v
    depths = [1 + max(int(k.split(".")[2]) for k in sd if k.startswith(f"features.{2 * i + 1}.")) for i in range(4)]
    heads = [sd[f"features.{2 * i + 1}.0.attn.relative_position_bias_table"].shape[1] for i in range(4)]
    model = SwinTransformer(patch_size=[4, 4], embed_dim=sd["features.0.0.weight"].shape[0], depths=depths,
                            num_heads=heads, window_size=[5, 5], num_classes=sd["head.weight"].shape[0]).eval()
    missing, unexpected = model.load_state_dict(sd, strict=False)
    assert all(k.endswith("relative_position_index") for k in missing) and not unexpected, (missing, unexpected)
    x = torch.randn(1, 3, 64, 64, generator=torch.Generator().manual_seed(11))
    out, y = {"input": x}, x
    with torch.no_grad():
        for i, layer in enumerate(model.features):
            y = layer(y)
            if i % 2 == 1:
                out[f"stage{(i + 1) // 2}"] = y
    save(os.path.join(OUT, "w3_to_w5_io.safetensors"), out,
         {"source": "tools/swin_checkpoint_fixtures.py", "weights": "fixtures/swin/w3_96x96/weights.safetensors",
          "window": "5", "depths": str(depths), "heads": str(heads)})
    print("wrote w3_to_w5_io.safetensors", {k: list(v.shape) for k, v in out.items()})


if __name__ == "__main__":
    main()
