"""Timing helpers shared by tools/bench_swin.py and tools/bench_text.py: the same protocol as
`mqn bench` (warm-up runs, timed runs, median; peak RSS of the phase from VmHWM)."""
import statistics
import sys
import time


def reset_peak():
    """Resets VmHWM so that the next reading is the peak of the coming phase."""
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
