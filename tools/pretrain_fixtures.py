#!/usr/bin/python3
"""Golden fixture for the text-pretraining graph (org.mqn4j.pretrain.PretrainNetwork), in plain torch.

The encoder is tools/text_fixtures.py's HuggingFace BERT reference; on its last hidden state:
  - masked LM: HF BertLMPredictionHead (dense, exact GELU, LayerNorm, decoder tied to the word
    embeddings, cls.predictions.bias) on the rows picked by a one-hot selection matrix;
  - per attribute and for the category: a learned query attends over the hidden states (padding
    masked), a linear classifier reads the pooled vector;
  - each loss the weighted mean cross-entropy sum(w*ce)/max(1, sum(w)); the attribute loss the mean
    over attributes; loss = 1.0*mlm + 0.5*attribute + 2.0*category.
Writes DIR/config.json (the encoder), DIR/heads.json (classes, loss weights), DIR/weights.safetensors (all parameters) and DIR/io.safetensors (placeholders,
outputs, and grad.<name> = d loss / d parameter).

    /usr/bin/python3 tools/pretrain_fixtures.py --out src/test/resources/fixtures/pretrain
"""
import argparse
import json
import os

import torch
import torch.nn.functional as F

from safetensors_io import save as write_safetensors
from text_fixtures import forward, make_inputs, random_weights

CFG = dict(model_type="bert", hidden_size=16, num_attention_heads=2, num_hidden_layers=1, intermediate_size=32,
           vocab_size=40, max_position_embeddings=10, type_vocab_size=1, layer_norm_eps=1e-12, pad_token_id=0,
           hidden_act="gelu", architectures=["BertModel"])
ATTRIBUTES = {"color": 4, "size": 3}
CATEGORIES = 3
WEIGHTS = dict(mlm=1.0, attribute=0.5, category=2.0)


def weighted_ce(logits, labels, weights):
    ce = F.cross_entropy(logits, labels, reduction="none")
    return (ce * weights).sum() / torch.clamp(weights.sum(), min=1.0)


def query_head(p, prefix, hidden, mask):
    scores = hidden @ p[prefix + ".query"] + (1.0 - mask) * -1e9          # [B, T]
    pooled = (torch.softmax(scores, dim=-1).unsqueeze(-1) * hidden).sum(1)  # [B, C]
    return F.linear(pooled, p[prefix + ".classifier.weight"], p[prefix + ".classifier.bias"])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    gen = torch.Generator().manual_seed(a.seed)
    C, V = CFG["hidden_size"], CFG["vocab_size"]
    B, T = 3, 8

    p = random_weights(CFG, gen)

    def w(*shape, scale):
        return torch.randn(*shape, generator=gen) * scale

    p["cls.predictions.transform.dense.weight"] = w(C, C, scale=0.3)
    p["cls.predictions.transform.dense.bias"] = w(C, scale=0.1)
    p["cls.predictions.transform.LayerNorm.weight"] = 1 + w(C, scale=0.2)
    p["cls.predictions.transform.LayerNorm.bias"] = w(C, scale=0.2)
    p["cls.predictions.bias"] = w(V, scale=0.1)
    heads = {f"heads.attribute.{n}": k for n, k in ATTRIBUTES.items()}
    heads["heads.category"] = CATEGORIES
    for prefix, k in heads.items():
        p[prefix + ".query"] = w(C, scale=0.5)
        p[prefix + ".classifier.weight"] = w(k, C, scale=0.3)
        p[prefix + ".classifier.bias"] = w(k, scale=0.1)
    for t in p.values():
        t.requires_grad_(True)

    ids, mask, _ = make_inputs(CFG, gen, B, T)
    picks = [(0, 1), (0, 2), (1, 3), (2, 0), (2, 5), (1, 1)]   # last row: weight 0
    positions = torch.zeros(len(picks), B * T)
    for r, (b, t) in enumerate(picks):
        positions[r, b * T + t] = 1.0
    mlm_labels = torch.randint(0, V, (len(picks),), generator=gen)
    mlm_weights = torch.tensor([1.0, 1, 1, 1, 1, 0])
    labels = {n: torch.randint(0, k, (B,), generator=gen) for n, k in ATTRIBUTES.items()}
    weights = {"color": torch.tensor([1.0, 0, 1]), "size": torch.tensor([1.0, 1, 1])}
    cat_labels = torch.randint(0, CATEGORIES, (B,), generator=gen)
    cat_weights = torch.tensor([1.0, 1, 0])

    hidden = forward(CFG, p, ids, mask, torch.zeros_like(ids))
    maskf = mask.float()
    x = positions @ hidden.reshape(B * T, C)
    x = F.linear(x, p["cls.predictions.transform.dense.weight"], p["cls.predictions.transform.dense.bias"])
    x = F.layer_norm(F.gelu(x), (C,), p["cls.predictions.transform.LayerNorm.weight"],
                     p["cls.predictions.transform.LayerNorm.bias"], CFG["layer_norm_eps"])
    mlm_logits = x @ p["embeddings.word_embeddings.weight"].T + p["cls.predictions.bias"]
    out = {"mlm_logits": mlm_logits, "mlm_loss": weighted_ce(mlm_logits, mlm_labels, mlm_weights)}
    attr_losses = []
    for n in ATTRIBUTES:
        logits = query_head(p, f"heads.attribute.{n}", hidden, maskf)
        out[f"attribute.{n}.logits"] = logits
        out[f"attribute.{n}.loss"] = weighted_ce(logits, labels[n], weights[n])
        attr_losses.append(out[f"attribute.{n}.loss"])
    out["category.logits"] = query_head(p, "heads.category", hidden, maskf)
    out["category.loss"] = weighted_ce(out["category.logits"], cat_labels, cat_weights)
    loss = (WEIGHTS["mlm"] * out["mlm_loss"] + WEIGHTS["attribute"] * sum(attr_losses) / len(attr_losses)
            + WEIGHTS["category"] * out["category.loss"])
    out["loss"] = loss
    loss.backward()

    io = {"input_ids": ids, "attention_mask": mask, "mlm_positions": positions, "mlm_labels": mlm_labels,
          "mlm_weights": mlm_weights, "category.labels": cat_labels, "category.weights": cat_weights}
    for n in ATTRIBUTES:
        io[f"attribute.{n}.labels"] = labels[n]
        io[f"attribute.{n}.weights"] = weights[n]
    for k, v in out.items():
        io["out." + k] = v.detach().reshape(-1) if v.dim() == 0 else v.detach()
    for k, v in p.items():
        io["grad." + k] = v.grad
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "config.json"), "w") as f:
        json.dump(CFG, f, indent=2, sort_keys=True)
    with open(os.path.join(a.out, "heads.json"), "w") as f:
        json.dump(dict(attributes=ATTRIBUTES, categories=CATEGORIES, loss_weights=WEIGHTS), f, indent=2, sort_keys=True)
    write_safetensors(os.path.join(a.out, "weights.safetensors"), {k: v.detach() for k, v in p.items()}, {"format": "pt"})
    write_safetensors(os.path.join(a.out, "io.safetensors"), io, {"format": "pt"})
    print(f"wrote {a.out}: loss {loss.item():.6f}")


if __name__ == "__main__":
    main()
