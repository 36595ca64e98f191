#!/usr/bin/python3
"""Times torchvision's Swin backbone the way `mqn bench swin` times mqn4j's, on the same machine,
and writes the side-by-side table.

    OMP_NUM_THREADS=1 ./mqn bench swin --config conf/swin_t.yaml --size 224 --json target/bench-mqn.json
    /usr/bin/python3 tools/bench_swin.py --model swin_t --size 224 --threads 1 \
        --mqn target/bench-mqn.json --out results/bench-swin.md

Same work as mqn4j: model.features (patch embedding + 4 stages, no classifier), eval mode (no
stochastic depth), random weights; forward at batch 1 under no_grad; forward+backward at batch 2
with loss = sum_i mean(stage_i) and gradients of every parameter; median of the timed runs after
warm-up. Peak memory per phase: VmHWM after resetting it (echo 5 > /proc/self/clear_refs).
"""
import argparse
import json
import os
import platform
import statistics
import sys
import time

import torch
import torchvision
from torchvision.models import swin_b, swin_s, swin_t


def reset_peak():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def peak_rss_bytes():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return -1


def stages(model, x):
    outs, y = [], x
    for i, layer in enumerate(model.features):
        y = layer(y)
        if i % 2 == 1:
            outs.append(y)
    return outs


def time_phase(name, batch, warmup, runs, work):
    reset_peak()
    for i in range(warmup):
        t0 = time.perf_counter()
        work()
        print(f"  {name} batch {batch} warm-up {i + 1}/{warmup}: {(time.perf_counter() - t0) * 1e3:.0f} ms", file=sys.stderr)
    ms = []
    for i in range(runs):
        t0 = time.perf_counter()
        work()
        ms.append((time.perf_counter() - t0) * 1e3)
        print(f"  {name} batch {batch} run {i + 1}/{runs}: {ms[-1]:.0f} ms", file=sys.stderr)
    return {"name": name, "batch": batch, "medianMs": statistics.median(ms), "minMs": min(ms), "runsMs": ms,
            "peakRssBytes": peak_rss_bytes()}


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


def markdown(torch_res, mqn, command_mqn, command_torch):
    mb = 1024 * 1024
    lines = [
        f"# Swin backbone speed: mqn4j (SameDiff) against torchvision, {torch_res['model']} at "
        f"{torch_res['size']}x{torch_res['size']}",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} logical CPUs, Linux {platform.release()}; "
        f"torch {torch_res['torch']}, torchvision {torch_res['torchvision']}; DL4J/ND4J 1.0.0-M2.1 (nd4j-native, OpenBLAS).",
        f"Threads: torch {torch_res['threads']} (set_num_threads), ND4J {mqn['nd4jThreads']} "
        f"(OMP_NUM_THREADS={mqn['ompThreads']}).",
        f"Work: patch embedding + 4 stages (no classifier), random weights, eval mode; forward+backward = "
        f"loss sum_i mean(stage_i) and the gradients of all {torch_res['parameters']:,} backbone parameters "
        f"(mqn4j counts {mqn['parameters']:,}).",
        f"Timing: median of {torch_res['runs']} (torch) / {mqn['runs']} (mqn4j) runs after {torch_res['warmup']} / "
        f"{mqn['warmup']} warm-up runs. Peak RSS: VmHWM after resetting it at the start of the phase "
        "(for mqn4j it includes the JVM and ND4J's off-heap buffers).",
        "",
        "| phase | batch | torchvision median ms | mqn4j median ms | mqn4j / torch | torch peak RSS MB | "
        "mqn4j peak RSS MB | mqn4j peak heap MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for t, m in zip(torch_res["phases"], mqn["phases"]):
        lines.append(f"| {t['name']} | {t['batch']} | {t['medianMs']:.1f} | {m['medianMs']:.1f} | "
                     f"{m['medianMs'] / t['medianMs']:.1f}x | {t['peakRssBytes'] / mb:.0f} | "
                     f"{m['peakRssBytes'] / mb:.0f} | {m['peakHeapBytes'] / mb:.0f} |")
    lines += ["", "All runs (ms):", ""]
    for t, m in zip(torch_res["phases"], mqn["phases"]):
        lines.append(f"- {t['name']} batch {t['batch']}: torch "
                     f"{', '.join(f'{v:.0f}' for v in t['runsMs'])}; mqn4j {', '.join(f'{v:.0f}' for v in m['runsMs'])}")
    lines += ["", "Commands:", "", "```", command_mqn, command_torch, "```", ""]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default="swin_t", choices=["swin_t", "swin_s", "swin_b"])
    ap.add_argument("--size", type=int, default=224)
    ap.add_argument("--threads", type=int, default=int(os.environ.get("OMP_NUM_THREADS", "1")))
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--mqn", help="JSON written by `mqn bench swin --json`; with --out, writes the comparison")
    ap.add_argument("--out", help="markdown file to write")
    ap.add_argument("--mqn-command", default="OMP_NUM_THREADS=1 ./mqn bench swin --config conf/swin_t.yaml "
                                              "--size 224 --json target/bench-mqn.json")
    args = ap.parse_args()
    res = bench(args.model, args.size, args.threads, args.warmup, args.runs)
    print(json.dumps(res, indent=1))
    if args.mqn and args.out:
        with open(args.mqn) as f:
            mqn = json.load(f)
        cmd = ("/usr/bin/python3 tools/bench_swin.py --model %s --size %d --threads %d --warmup %d --runs %d "
               "--mqn %s --out %s" % (args.model, args.size, args.threads, args.warmup, args.runs, args.mqn, args.out))
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        with open(args.out, "w") as f:
            f.write(markdown(res, mqn, args.mqn_command, cmd))
        print("wrote", args.out, file=sys.stderr)


if __name__ == "__main__":
    main()
