#!/usr/bin/python3
"""Golden fixtures for the text encoder: a BERT/RoBERTa reference in plain torch.

transformers is not installable here, so this file restates HuggingFace's BertModel /
RobertaModel forward pass (post-LN encoder, exact GELU, HF parameter names) and checks it
against torch.nn.TransformerEncoderLayer before writing anything.

    /usr/bin/python3 tools/text_fixtures.py --out DIR --flavour bert|roberta --size small|base
writes DIR/config.json (HuggingFace keys), DIR/weights.safetensors (HF names, no prefix) and
DIR/io.safetensors (input_ids, attention_mask, token_type_ids, last_hidden_state).
"""
import argparse
import json
import math
import os

import torch
import torch.nn.functional as F

from safetensors_io import save as write_safetensors

SIZES = {
    "small": dict(hidden_size=32, num_attention_heads=4, num_hidden_layers=2, intermediate_size=64,
                  vocab_size=300, max_position_embeddings=40, type_vocab_size=2),
    "base": dict(hidden_size=768, num_attention_heads=12, num_hidden_layers=12, intermediate_size=3072,
                 vocab_size=21128, max_position_embeddings=512, type_vocab_size=2),
}


def layer_norm(x, p, name, eps):
    return F.layer_norm(x, x.shape[-1:], p[name + ".weight"], p[name + ".bias"], eps)


def linear(x, p, name):
    return F.linear(x, p[name + ".weight"], p[name + ".bias"])


def position_ids(cfg, input_ids):
    T = input_ids.shape[1]
    if cfg["model_type"] == "roberta":
        # HF create_position_ids_from_input_ids: padding tokens keep padding_idx, others count from padding_idx+1.
        mask = input_ids.ne(cfg["pad_token_id"]).long()
        return torch.cumsum(mask, dim=1) * mask + cfg["pad_token_id"]
    return torch.arange(T).unsqueeze(0).expand_as(input_ids)


def embeddings(cfg, p, input_ids, token_type_ids):
    eps = cfg["layer_norm_eps"]
    x = (p["embeddings.word_embeddings.weight"][input_ids]
         + p["embeddings.position_embeddings.weight"][position_ids(cfg, input_ids)]
         + p["embeddings.token_type_embeddings.weight"][token_type_ids])
    return layer_norm(x, p, "embeddings.LayerNorm", eps)


def bert_layer(cfg, p, i, x, attention_mask):
    """One post-LN layer exactly as HF BertLayer (eval mode)."""
    eps, H = cfg["layer_norm_eps"], cfg["num_attention_heads"]
    B, T, C = x.shape
    d = C // H
    pre = f"encoder.layer.{i}."

    def heads(t):
        return t.view(B, T, H, d).permute(0, 2, 1, 3)

    q = heads(linear(x, p, pre + "attention.self.query"))
    k = heads(linear(x, p, pre + "attention.self.key"))
    v = heads(linear(x, p, pre + "attention.self.value"))
    scores = q @ k.transpose(-1, -2) / math.sqrt(d)
    ext = (1.0 - attention_mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
    ctx = (torch.softmax(scores + ext, dim=-1) @ v).permute(0, 2, 1, 3).reshape(B, T, C)
    x = layer_norm(linear(ctx, p, pre + "attention.output.dense") + x, p, pre + "attention.output.LayerNorm", eps)
    h = F.gelu(linear(x, p, pre + "intermediate.dense"))  # exact (erf) GELU, HF's "gelu"
    return layer_norm(linear(h, p, pre + "output.dense") + x, p, pre + "output.LayerNorm", eps)


def forward(cfg, p, input_ids, attention_mask, token_type_ids):
    x = embeddings(cfg, p, input_ids, token_type_ids)
    for i in range(cfg["num_hidden_layers"]):
        x = bert_layer(cfg, p, i, x, attention_mask)
    return x


def check_against_torch_layer(cfg, p, x, attention_mask):
    """The reference layer must equal torch.nn.TransformerEncoderLayer (post-LN, gelu) with the same weights."""
    C, H = cfg["hidden_size"], cfg["num_attention_heads"]
    ref = torch.nn.TransformerEncoderLayer(C, H, cfg["intermediate_size"], dropout=0.0, activation="gelu",
                                           layer_norm_eps=cfg["layer_norm_eps"], batch_first=True, norm_first=False)
    pre = "encoder.layer.0."
    with torch.no_grad():
        ref.self_attn.in_proj_weight.copy_(torch.cat([p[pre + f"attention.self.{n}.weight"] for n in ("query", "key", "value")]))
        ref.self_attn.in_proj_bias.copy_(torch.cat([p[pre + f"attention.self.{n}.bias"] for n in ("query", "key", "value")]))
        ref.self_attn.out_proj.weight.copy_(p[pre + "attention.output.dense.weight"])
        ref.self_attn.out_proj.bias.copy_(p[pre + "attention.output.dense.bias"])
        ref.linear1.weight.copy_(p[pre + "intermediate.dense.weight"])
        ref.linear1.bias.copy_(p[pre + "intermediate.dense.bias"])
        ref.linear2.weight.copy_(p[pre + "output.dense.weight"])
        ref.linear2.bias.copy_(p[pre + "output.dense.bias"])
        ref.norm1.weight.copy_(p[pre + "attention.output.LayerNorm.weight"])
        ref.norm1.bias.copy_(p[pre + "attention.output.LayerNorm.bias"])
        ref.norm2.weight.copy_(p[pre + "output.LayerNorm.weight"])
        ref.norm2.bias.copy_(p[pre + "output.LayerNorm.bias"])
    ref.eval()
    with torch.no_grad():
        want = ref(x, src_key_padding_mask=attention_mask.eq(0))
        got = bert_layer(cfg, p, 0, x, attention_mask)
    valid = attention_mask.bool()
    err = (want - got)[valid].abs().max().item()
    assert err < 1e-4, f"reference layer differs from torch.nn.TransformerEncoderLayer by {err}"
    return err


def random_weights(cfg, gen):
    """Seeded weights with every LayerNorm and bias moved off its initial value, so a dropped one shows."""
    C, I, L = cfg["hidden_size"], cfg["intermediate_size"], cfg["num_hidden_layers"]

    def w(*shape, scale=0.05):
        return torch.randn(*shape, generator=gen) * scale

    p = {
        "embeddings.word_embeddings.weight": w(cfg["vocab_size"], C, scale=0.5),
        "embeddings.position_embeddings.weight": w(cfg["max_position_embeddings"], C, scale=0.5),
        "embeddings.token_type_embeddings.weight": w(cfg["type_vocab_size"], C, scale=0.5),
        "embeddings.LayerNorm.weight": 1 + w(C, scale=0.2),
        "embeddings.LayerNorm.bias": w(C, scale=0.2),
    }
    for i in range(L):
        pre = f"encoder.layer.{i}."
        for n in ("query", "key", "value"):
            p[pre + f"attention.self.{n}.weight"] = w(C, C, scale=1 / math.sqrt(C))
            p[pre + f"attention.self.{n}.bias"] = w(C, scale=0.1)
        p[pre + "attention.output.dense.weight"] = w(C, C, scale=1 / math.sqrt(C))
        p[pre + "attention.output.dense.bias"] = w(C, scale=0.1)
        p[pre + "attention.output.LayerNorm.weight"] = 1 + w(C, scale=0.2)
        p[pre + "attention.output.LayerNorm.bias"] = w(C, scale=0.2)
        p[pre + "intermediate.dense.weight"] = w(I, C, scale=1 / math.sqrt(C))
        p[pre + "intermediate.dense.bias"] = w(I, scale=0.1)
        p[pre + "output.dense.weight"] = w(C, I, scale=1 / math.sqrt(I))
        p[pre + "output.dense.bias"] = w(C, scale=0.1)
        p[pre + "output.LayerNorm.weight"] = 1 + w(C, scale=0.2)
        p[pre + "output.LayerNorm.bias"] = w(C, scale=0.2)
    return p


def make_inputs(cfg, gen, batch, length):
    """Ids with [CLS]=101-like start, varied lengths, padding with pad_token_id; the second row is fully used."""
    V, pad = cfg["vocab_size"], cfg["pad_token_id"]
    ids = torch.randint(2, V, (batch, length), generator=gen)
    mask = torch.ones(batch, length, dtype=torch.int64)
    for b in range(batch):
        n = length if b == 1 else max(2, length - 3 - 2 * b)
        ids[b, n:] = pad
        mask[b, n:] = 0
    ids[ids.eq(pad) & mask.bool()] = pad + 1  # no pad id inside the valid part
    types = torch.zeros_like(ids)
    if cfg["type_vocab_size"] > 1:
        types[:, length // 2:] = 1
        types[mask.eq(0)] = 0
    return ids, mask, types


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--flavour", choices=["bert", "roberta"], default="bert")
    ap.add_argument("--size", choices=sorted(SIZES), default="small")
    ap.add_argument("--batch", type=int, default=2)
    ap.add_argument("--length", type=int, default=12)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()

    cfg = dict(SIZES[a.size])
    if a.flavour == "roberta":
        # RoBERTa: pad id 1, positions from padding_idx+1, so max_position_embeddings = max_len + 2.
        cfg.update(model_type="roberta", layer_norm_eps=1e-5, pad_token_id=1, type_vocab_size=1,
                   max_position_embeddings=cfg["max_position_embeddings"] + 2)
    else:
        cfg.update(model_type="bert", layer_norm_eps=1e-12, pad_token_id=0)
    cfg.update(hidden_act="gelu", architectures=["RobertaModel" if a.flavour == "roberta" else "BertModel"])
    gen = torch.Generator().manual_seed(a.seed)
    p = random_weights(cfg, gen)
    ids, mask, types = make_inputs(cfg, gen, a.batch, a.length)

    with torch.no_grad():
        err = check_against_torch_layer(cfg, p, embeddings(cfg, p, ids, types), mask)
        out = forward(cfg, p, ids, mask, types)
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2, sort_keys=True)
    write_safetensors(os.path.join(a.out, "weights.safetensors"), p, {"format": "pt"})
    io = {"input_ids": ids, "attention_mask": mask, "last_hidden_state": out}
    if a.flavour == "bert":
        io["token_type_ids"] = types
    write_safetensors(os.path.join(a.out, "io.safetensors"), io, {"format": "pt"})
    print(f"{a.flavour}/{a.size}: wrote {a.out} (reference layer vs torch.nn.TransformerEncoderLayer: {err:.2e})")


if __name__ == "__main__":
    main()
