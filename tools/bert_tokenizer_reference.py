#!/usr/bin/env python3
"""Reference fixture for org.mqn4j.text.BertTokenizer.

A plain-Python rendering of HuggingFace's slow BertTokenizer.tokenize (transformers 4.x) with
do_lower_case=True, tokenize_chinese_chars=True, strip_accents=None: it runs in the language HF
runs in, so Python's own str.lower(), str.split(), unicodedata.category and NFD decide every
character, and the Java port is checked against them (the transformers package is not
installable here, so this is the algorithm, not the package). Writes random texts over
version-stable Unicode blocks, a small vocabulary and the expected tokens as JSON:

    python3 tools/bert_tokenizer_reference.py > src/test/resources/org/mqn4j/text/bert-tokenizer-reference.json
"""
import json
import random
import re
import sys
import unicodedata

SPECIAL = ["[UNK]", "[SEP]", "[PAD]", "[CLS]", "[MASK]"]


def is_whitespace(ch):
    return ch in " \t\n\r" or unicodedata.category(ch) == "Zs"


def is_control(ch):
    if ch in "\t\n\r":
        return False
    return unicodedata.category(ch).startswith("C")


def is_punctuation(ch):
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def is_chinese(cp):
    return any(lo <= cp <= hi for lo, hi in [
        (0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF), (0x2A700, 0x2B73F),
        (0x2B740, 0x2B81F), (0x2B820, 0x2CEAF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F)])


def basic_tokenize(text):
    cleaned = []
    for ch in text:
        if ord(ch) in (0, 0xFFFD) or is_control(ch):
            continue
        if is_whitespace(ch):
            cleaned.append(" ")
        elif is_chinese(ord(ch)):
            cleaned.append(" " + ch + " ")
        else:
            cleaned.append(ch)
    words = []
    text = unicodedata.normalize("NFC", "".join(cleaned))   # transformers >= 4.28
    for word in text.split():                      # Python's own notion of whitespace
        if word in SPECIAL:                        # never_split = all special tokens
            words.append(word)
            continue
        word = word.lower()
        word = "".join(c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn")
        current = None
        for c in word:
            if is_punctuation(c):
                words.append(c)
                current = None
            else:
                if current is None:
                    words.append("")
                    current = len(words) - 1
                words[current] += c
    return " ".join(words).split()


def wordpiece(word, vocab):
    if len(word) > 100:
        return ["[UNK]"]
    pieces, start = [], 0
    while start < len(word):
        end = len(word)
        found = None
        while start < end:
            sub = ("##" if start > 0 else "") + word[start:end]
            if sub in vocab:
                found = sub
                break
            end -= 1
        if found is None:
            return ["[UNK]"]
        pieces.append(found)
        start = end
    return pieces


def tokenize(text, vocab):
    # PreTrainedTokenizer.tokenize: lower-case everything but special tokens, one character at a time
    pattern = "(" + "|".join(re.escape(s) for s in SPECIAL) + ")|(.+?)"
    text = re.sub(pattern, lambda m: m.group(1) or m.group(2).lower(), text, flags=re.DOTALL)
    out = []
    for part in re.split("(" + "|".join(re.escape(s) for s in SPECIAL) + ")", text):
        if part in SPECIAL:
            out.append(part)
        elif part:
            for word in basic_tokenize(part):
                out.extend(wordpiece(word, vocab))
    return out


# Parts of blocks whose assignments, categories, case and decompositions agree between Unicode 13
# (Java 17) and 14 (Python 3.11); 9F00-9FFF holds U+9FFD-U+9FFF, ideographs only since Unicode 14.
POOLS = [(0x00, 0x7F), (0x80, 0x24F), (0x300, 0x36F), (0x370, 0x4FF), (0x2000, 0x206F),
         (0x4E00, 0x4EFF), (0x9F00, 0x9FFF), (0x3000, 0x30FF), (0xFF00, 0xFFEF), (0xAC00, 0xACFF),
         (0x1F600, 0x1F64F), (0x20000, 0x200FF), (0xD800, 0xDFFF), (0xE000, 0xE0FF), (0xF900, 0xF9FF)]
EXTRA = [" ", "\t", "\n", "\r\n", "\u3000", "\u00a0", "\u2028", "\u2029", "\u200b", "\u0085", "\x0b",
         "\x1c", "\u0130", "\u03a3", "\u1fef", "\u037e", "[SEP]", "[MASK]", "[cls]", "ml", "ing"]


# The vocabulary and texts of BertTokenizerTest, whose expectations were derived by hand.
HAND_VOCAB = [
    "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
    "红", "色", "马", "克", "杯", "大", "容", "量", "送", "蓝", "垫", "包", "邮", "京", "选", "年", "恤",
    "【", "】", "，", "。", "！", ",", ".", "!", "-", "[", "]",
    "2", "20", "##2", "##0", "##5", "5", "50", "500", "ml", "##ml",
    "red", "mug", "t", "shirt", "cafe", "un", "##aff", "##able", "play", "##ing", "hello", "world",
    "ａ", "##ｂ", "##ｃ", "σ", "##α", "##σ", "a", "##a", "i", "##s", "e", "sep", "cls"]
HAND_TEXTS = [
    "红色马克杯", "【包邮】京选 红色马克杯 大容量 送蓝色杯垫", "Unaffable PLAYING", "Hello,world!",
    "RED T-Shirt", "2025年", "500ml", "500ML", "5000ml", "5℃", "a.B", "redmug", "$a^a`", "ＡＢＣ",
    "红，色。杯！", "２０", "红\u3000杯", "Café", "Cafe\u0301", "\u0130", "ΣΑΣ", "红😀杯", "mug😀", "❤️",
    "红\U00020000色", "红\u0000色\u0007杯\u200b垫\ufffd", "red\u200bmug", "red\tmug\nmug\r\nred",
    "red\u2028mug", "red\u0085mug", "red\ue000", "red \u0301 mug", "红\u0301", "\u20dd",
    "红\ud800色", "red\udc00", "\udc00\ud800", "red[SEP]mug", "[sep]", "[C\u200bLS]", "a" * 100,
    "a" * 101, "😀" * 100, "", "   "]


def main():
    rnd = random.Random(20261127)
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    seen = set(vocab)

    def add(tok):
        if tok not in seen:
            seen.add(tok)
            vocab.append(tok)

    for lo, hi in POOLS:
        for cp in range(lo, hi + 1):
            if 0xD800 <= cp <= 0xDFFF:
                continue
            ch = chr(cp)
            if ch.isascii() and ch.isalnum() or rnd.random() < 0.6:
                add(ch)
            if ch.isascii() and ch.isalnum() or rnd.random() < 0.4:
                add("##" + ch)
    for w in ["ml", "##ml", "red", "mug", "play", "##ing", "##ed", "##s", "500", "20", "##25", "t", "shirt"]:
        add(w)
    vocab_set = set(vocab)

    cases = []
    for _ in range(300):
        n = rnd.choice([rnd.randrange(12), rnd.randrange(30), rnd.randrange(80)])
        pools = [rnd.choice(POOLS) for _ in range(rnd.randint(1, 3))]
        parts = []
        for _ in range(n):
            if rnd.random() < 0.15:
                parts.append(rnd.choice(EXTRA))
            else:
                lo, hi = rnd.choice(pools)
                parts.append(chr(rnd.randint(lo, hi)))
        # A high surrogate followed by a low one is two lone surrogates to Python but one character
        # to Java (UTF-16), so keep them apart.
        text = re.sub("([\ud800-\udbff])(?=[\udc00-\udfff])", "\\1x", "".join(parts))
        cases.append({"text": text, "tokens": tokenize(text, vocab_set)})
    hand = [{"text": t, "tokens": tokenize(t, set(HAND_VOCAB))} for t in HAND_TEXTS]
    json.dump({"about": "tools/bert_tokenizer_reference.py, Python %s, Unicode %s" % (
        sys.version.split()[0], unicodedata.unidata_version), "vocab": vocab, "cases": cases,
        "hand_vocab": HAND_VOCAB, "hand_cases": hand},
        sys.stdout, ensure_ascii=True, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
