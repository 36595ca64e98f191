"""Copies of an MMPS split with the titles rewritten by rules our generator (org.mqn4j.data.ProductTitle) never
uses: a stand-in for another program's title wording over the same vocabulary, to see how much a trained model
depends on ours (results/title-shift.md). The images and masks are the split's own (symlinked).

    /usr/bin/python3 tools/title_shift.py --data data/demo --split test --out data/titleshift

writes data/titleshift/<variant>/{test.jsonl, images, masks} for each variant. Every title names the target by
the same attributes as the original (the record's `title_names`), with the vocabulary's Chinese words, and a
gift phrase 送{colour}{item} for each of the record's `gift_colors`:
  late       the naming part after 30-45 characters of noise (our generator puts 90% of names before the 24th)
  templates  naming templates ours lacks: 颜色分类:红色 商品:杯子, 【红色】杯子, 杯子/红色, 红色系列杯子, 杯子，红色 ...
  noise      noise words from outside our lists (other hanzi words, English words, other brackets and
             separators), the naming part where ours puts it
  shuffled   the original title's space-separated segments in a random order (titles without spaces unchanged)
Deterministic (seeded by the record's position). Python standard library only.
"""
import argparse
import json
import os
import random

NOISE = ["正版授权", "旗舰款", "超值", "特惠装", "精品", "新潮", "品牌直营", "热销榜", "今年流行", "实用", "好物推荐",
         "NEW", "HOT", "SALE", "2026", "Premium", "OEM", "加急发货", "全国联保", "质量保障", "优选", "超轻", "耐高温",
         "手工", "匠心", "原装", "正品保障", "支持退换", "厂家发货", "店长推荐"]
BRACKETS = [("「", "」"), ("《", "》"), ("<", ">"), ("★", "★"), ("", "!")]
SEPS = [" ", "  ", "|", "/", " + "]


def naming(c, k, names, rng):
    if names == ["color", "category"] or names == ["category", "color"]:
        return rng.choice([f"颜色分类:{c} 商品:{k}", f"【{c}】{k}", f"{k}/{c}", f"{c}系列{k}", f"{k}，{c}",
                           f"{k} ({c})", f"{c} 款式 {k}"])
    if names == ["color"]:
        return rng.choice([f"颜色分类:{c}", f"【{c}】", f"{c}系列", f"主色{c}", f"({c})"])
    return rng.choice([f"商品:{k}", f"【{k}】", f"{k}系列", f"品类{k}", f"({k})"])


def gifts(rec, rng):
    colors = {c["en"]: c["zh"] for c in VOCAB["colors"]}
    return ["送" + colors[g] + rng.choice(VOCAB["gift_items"]) for g in rec.get("gift_colors", [])]


def noise(rng, n):
    out = []
    for _ in range(n):
        w = rng.choice(NOISE)
        if rng.random() < 0.2:
            a, b = rng.choice(BRACKETS)
            w = a + w + b
        out.append(w)
    return out


def our_naming(rec):
    t = rec["target"]
    c, k = t["color_zh"], t["category_zh"]
    names = rec["title_names"]
    return {("color", "category"): c + k, ("category", "color"): c + k, ("color",): c, ("category",): k}[tuple(names)]


def rewrite(rec, variant, rng):
    t = rec["target"]
    c, k = t["color_zh"], t["category_zh"]
    names = rec["title_names"]
    if variant == "shuffled":
        parts = rec["title"].split(" ")
        rng.shuffle(parts)
        return " ".join(parts)
    g = gifts(rec, rng)
    if variant == "late":
        pre = []
        while len(" ".join(pre)) < rng.randint(30, 45):
            pre.append(rng.choice(VOCAB["noise_words"] + VOCAB["brands"]))
        parts = pre + [our_naming(rec)] + g + [rng.choice(VOCAB["noise_words"])]
        return " ".join(parts)
    if variant == "templates":
        parts = [rng.choice(VOCAB["brands"])] + [naming(c, k, names, rng)] + g
        parts += [rng.choice(VOCAB["noise_words"]) for _ in range(rng.randint(1, 4))]
        return " ".join(parts)
    if variant == "noise":
        parts = noise(rng, rng.randint(0, 2)) + [our_naming(rec)] + g + noise(rng, rng.randint(1, 5))
        sep = rng.choice(SEPS)
        return sep.join(parts)
    raise ValueError(variant)


VARIANTS = ["late", "templates", "noise", "shuffled"]
VOCAB = None


def main():
    global VOCAB
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", required=True)
    p.add_argument("--split", default="test")
    p.add_argument("--out", required=True)
    p.add_argument("--vocab", default=os.path.join(os.path.dirname(__file__), "..", "src", "main", "resources", "org", "mqn4j", "vocabulary.json"))
    args = p.parse_args()
    with open(args.vocab, encoding="utf-8") as f:
        VOCAB = json.load(f)
    with open(os.path.join(args.data, args.split + ".jsonl"), encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    for variant in VARIANTS:
        root = os.path.join(args.out, variant)
        os.makedirs(root, exist_ok=True)
        for d in ("images", "masks"):
            link = os.path.join(root, d)
            if not os.path.islink(link):
                os.symlink(os.path.relpath(os.path.join(args.data, d), root), link)
        with open(os.path.join(root, args.split + ".jsonl"), "w", encoding="utf-8") as f:
            for i, rec in enumerate(records):
                rng = random.Random(i * 7919 + VARIANTS.index(variant))
                out = dict(rec)
                out["title"] = rewrite(rec, variant, rng)
                f.write(json.dumps(out, ensure_ascii=False) + "\n")
        print(f"{root}: {len(records)} records")


if __name__ == "__main__":
    main()
