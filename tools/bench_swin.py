#!/usr/bin/python3
"""Times torchvision's Swin backbone the way `mqn bench swin` times mqn4j's, on the same machine,
and writes the side-by-side table.

    OMP_NUM_THREADS=1 ./mqn bench swin --config conf/swin_t.yaml --size 224 --json target/bench-mqn.json
    /usr/bin/python3 tools/bench_swin.py run --model swin_t --size 224 --threads 1 --json target/bench-torch.json
    /usr/bin/python3 tools/bench_swin.py report --torch torch=target/bench-torch.json \
        --mqn mqn4j=target/bench-mqn.json --out results/bench-swin.md

Debian's torch uses the reference BLAS (BLAS_INFO=generic); to time it on OpenBLAS as ND4J is,
preload ND4J's copy: LD_PRELOAD=~/.javacpp/cache/openblas-*/org/bytedeco/openblas/linux-x86_64/libopenblas_nolapack.so.0

Same work as mqn4j: model.features (patch embedding + 4 stages, no classifier), eval mode (no
stochastic depth), random weights; forward at batch 1 under no_grad; forward+backward at batch 2
with loss = sum_i mean(stage_i) and gradients of every parameter; median of the timed runs after
warm-up. Peak memory per phase: VmHWM after resetting it (echo 5 > /proc/self/clear_refs).
"""
import argparse
import json
import os
import platform
import sys

import torch
import torchvision
from torchvision.models import swin_b, swin_s, swin_t

from bench_common import time_phase


def stages(model, x):
    outs, y = [], x
    for i, layer in enumerate(model.features):
        y = layer(y)
        if i % 2 == 1:
            outs.append(y)
    return outs


def bench(model_name, size, threads, warmup, runs):
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(1)
    model = {"swin_t": swin_t, "swin_s": swin_s, "swin_b": swin_b}[model_name]().eval()
    params = sum(p.numel() for p in model.features.parameters())
    x1 = torch.randn(1, 3, size, size)
    x2 = torch.randn(2, 3, size, size)

    def forward():
        with torch.no_grad():
            stages(model, x1)

    def forward_backward():
        model.zero_grad(set_to_none=True)
        loss = sum(s.mean() for s in stages(model, x2))
        loss.backward()

    phases = [time_phase("forward", 1, warmup, runs, forward),
              time_phase("forward+backward", 2, warmup, runs, forward_backward)]
    return {"model": model_name, "size": size, "parameters": params, "threads": torch.get_num_threads(),
            "warmup": warmup, "runs": runs, "torch": torch.__version__, "torchvision": torchvision.__version__,
            "phases": phases}


def markdown(mqn_runs, torch_runs, commands, notes=()):
    """mqn_runs, torch_runs: lists of (label, result); the ratio is taken against the first torch run."""
    mb = 1024 * 1024
    ref_label, ref = torch_runs[0]
    mqn0 = mqn_runs[0][1]
    lines = [
        f"# Swin backbone speed: mqn4j (SameDiff) against torchvision, {ref['model']} at {ref['size']}x{ref['size']}",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} logical CPUs, Linux {platform.release()}, shared with "
        "other jobs while measured (expect noise); "
        f"torch {ref['torch']}, torchvision {ref['torchvision']}; DL4J/ND4J 1.0.0-M2.1 (nd4j-native, its OpenBLAS 0.3.19).",
        f"Threads: torch {ref['threads']} (set_num_threads), ND4J {mqn0['nd4jThreads']} (OMP_NUM_THREADS={mqn0['ompThreads']}).",
        f"Work: patch embedding + 4 stages (no classifier), random weights, eval mode; forward+backward = "
        f"loss sum_i mean(stage_i) and the gradients of all {ref['parameters']:,} backbone parameters "
        f"(mqn4j counts {mqn0['parameters']:,}).",
        f"Timing: median of {ref['runs']} timed runs after {ref['warmup']} warm-up runs. Peak RSS: VmHWM after "
        "resetting it at the start of the phase (for mqn4j it includes the JVM and ND4J's off-heap buffers).",
        "",
        "| run | phase | batch | median ms | min ms | peak RSS MB | ratio to " + ref_label + " (median) |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for label, res in torch_runs + mqn_runs:
        for p, r in zip(res["phases"], ref["phases"]):
            lines.append(f"| {label} | {p['name']} | {p['batch']} | {p['medianMs']:.1f} | {p['minMs']:.1f} | "
                         f"{p['peakRssBytes'] / mb:.0f} | {p['medianMs'] / r['medianMs']:.2f} |")
    if notes:
        lines += ["", "Notes:", ""] + [f"- {n}" for n in notes]
    lines += ["", "All timed runs (ms):", ""]
    for label, res in torch_runs + mqn_runs:
        for p in res["phases"]:
            lines.append(f"- {label}, {p['name']} batch {p['batch']}: {', '.join(f'{v:.0f}' for v in p['runsMs'])}")
    lines += ["", "Commands:", "", "```"] + commands + ["```", ""]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    run = sub.add_parser("run", help="time torchvision; print JSON (and write it with --json)")
    run.add_argument("--model", default="swin_t", choices=["swin_t", "swin_s", "swin_b"])
    run.add_argument("--size", type=int, default=224)
    run.add_argument("--threads", type=int, default=int(os.environ.get("OMP_NUM_THREADS", "1")))
    run.add_argument("--warmup", type=int, default=2)
    run.add_argument("--runs", type=int, default=7)
    run.add_argument("--json")
    rep = sub.add_parser("report", help="write the markdown comparison from JSON results")
    rep.add_argument("--torch", action="append", required=True, metavar="LABEL=FILE",
                     help="a torch result (the first is the ratio's reference)")
    rep.add_argument("--mqn", action="append", required=True, metavar="LABEL=FILE", help="an `mqn bench swin --json` result")
    rep.add_argument("--command", action="append", default=[], help="a command line to list in the report")
    rep.add_argument("--note", action="append", default=[], help="a remark to list under the table")
    rep.add_argument("--out", required=True)
    args = ap.parse_args()
    if args.cmd == "run":
        res = bench(args.model, args.size, args.threads, args.warmup, args.runs)
        text = json.dumps(res, indent=1)
        print(text)
        if args.json:
            with open(args.json, "w") as f:
                f.write(text)
        return

    def read(specs):
        out = []
        for spec in specs:
            label, path = spec.split("=", 1)
            with open(path) as f:
                out.append((label, json.load(f)))
        return out

    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        f.write(markdown(read(args.mqn), read(args.torch), args.command, args.note))
    print("wrote", args.out, file=sys.stderr)


if __name__ == "__main__":
    main()
