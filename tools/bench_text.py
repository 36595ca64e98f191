#!/usr/bin/python3
"""Times the plain-torch BERT/RoBERTa reference (tools/text_fixtures.py, HuggingFace's forward pass)
the way `mqn bench text` times mqn4j's encoder, on the same machine, and writes the side-by-side table.

    OMP_NUM_THREADS=1 ./mqn bench text --config conf/text_base.yaml --lengths 20,100 --json target/bench-text-mqn.json
    /usr/bin/python3 tools/bench_text.py --size base --lengths 20,100 --threads 1 \
        --mqn target/bench-text-mqn.json --out results/bench-text.md

Same work as mqn4j: random weights, every token valid; forward at batch 1 under no_grad; forward+backward
at batch 2 with loss = mean(last_hidden_state) and the gradients of every parameter.
Debian's python3-torch uses the reference BLAS (about 15x slower than OpenBLAS for matmuls, see
results/bench-swin.md); for a fair comparison preload ND4J's OpenBLAS:
    LD_PRELOAD=~/.javacpp/cache/openblas-0.3.19-1.5.7-linux-x86_64.jar/org/bytedeco/openblas/linux-x86_64/libopenblas_nolapack.so.0 /usr/bin/python3 tools/bench_text.py ...
"""
import argparse
import json
import os
import platform
import sys

import torch

from bench_common import time_phase
from text_fixtures import SIZES, forward, random_weights


def bench(size, lengths, threads, warmup, runs):
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
    cfg = dict(SIZES[size], model_type="bert", layer_norm_eps=1e-12, pad_token_id=0)
    gen = torch.Generator().manual_seed(1)
    p = {k: v.requires_grad_() for k, v in random_weights(cfg, gen).items()}
    phases = []
    for t in lengths:
        def inputs(b):
            ids = torch.randint(200, cfg["vocab_size"], (b, t), generator=gen)
            return ids, torch.ones(b, t, dtype=torch.int64), torch.zeros(b, t, dtype=torch.int64)

        x1, x2 = inputs(1), inputs(2)

        def fwd():
            with torch.no_grad():
                forward(cfg, p, *x1)

        def fwd_bwd():
            for v in p.values():
                v.grad = None
            forward(cfg, p, *x2).mean().backward()

        phases.append(time_phase(f"forward T={t}", 1, warmup, runs, fwd))
        phases.append(time_phase(f"forward+backward T={t}", 2, warmup, runs, fwd_bwd))
    return {"size": size, "parameters": sum(v.numel() for v in p.values()), "threads": torch.get_num_threads(),
            "warmup": warmup, "runs": runs, "torch": torch.__version__,
            "blas": os.environ.get("LD_PRELOAD", "") and "OpenBLAS (preloaded)" or "as installed", "phases": phases}


def markdown(mqn, ref, commands):
    mb = 1024 * 1024
    lines = [
        f"# Text encoder speed: mqn4j (SameDiff) against a plain-torch HuggingFace reference, {ref['size']} size",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} logical CPUs, Linux {platform.release()}; torch {ref['torch']} "
        f"(BLAS: {ref['blas']}); DL4J/ND4J 1.0.0-M2.1 (nd4j-native, OpenBLAS 0.3.19).",
        f"Threads: torch {ref['threads']}, ND4J {mqn['nd4jThreads']} (OMP_NUM_THREADS={mqn['ompThreads']}).",
        f"Work: BERT encoder, random weights, every token valid; forward at batch 1, forward+backward at batch 2 "
        f"(loss mean(last_hidden_state), gradients of all {ref['parameters']:,} parameters; mqn4j counts "
        f"{mqn['parameters']:,}). Median of {ref['runs']} timed runs after {ref['warmup']} warm-up runs; peak RSS is VmHWM "
        "of the phase (mqn4j: JVM plus ND4J's off-heap buffers).",
        "",
        "| phase | batch | torch median ms | mqn4j median ms | mqn4j / torch | torch peak RSS MB | mqn4j peak RSS MB |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r, m in zip(ref["phases"], mqn["phases"]):
        assert r["name"] == m["name"], (r["name"], m["name"])
        lines.append(f"| {r['name']} | {r['batch']} | {r['medianMs']:.1f} | {m['medianMs']:.1f} | "
                     f"{m['medianMs'] / r['medianMs']:.2f} | {r['peakRssBytes'] / mb:.0f} | {m['peakRssBytes'] / mb:.0f} |")
    lines += ["", "All timed runs (ms):", ""]
    for r, m in zip(ref["phases"], mqn["phases"]):
        lines.append(f"- {r['name']} batch {r['batch']}: torch {', '.join(f'{v:.0f}' for v in r['runsMs'])}; "
                     f"mqn4j {', '.join(f'{v:.0f}' for v in m['runsMs'])}")
    lines += ["", "Commands:", "", "```"] + commands + ["```", ""]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", choices=sorted(SIZES), default="base")
    ap.add_argument("--lengths", default="20,100")
    ap.add_argument("--threads", type=int, default=int(os.environ.get("OMP_NUM_THREADS", "1")))
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--mqn", required=True, help="an `mqn bench text --json` result")
    ap.add_argument("--command", action="append", default=[], help="a command line to list in the report")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    ref = bench(a.size, [int(x) for x in a.lengths.split(",")], a.threads, a.warmup, a.runs)
    with open(a.mqn) as f:
        mqn = json.load(f)
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with open(a.out, "w") as f:
        f.write(markdown(mqn, ref, a.command))
    print("wrote", a.out, file=sys.stderr)


if __name__ == "__main__":
    main()
