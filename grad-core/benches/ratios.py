#!/usr/bin/env python3
"""Print the ratio table of the `kernels` criterion bench as markdown.

Reads the median of every benchmark from target/criterion/**/new/ (written by
`cargo bench -p grad-core --bench kernels`) and prints, per op, type and size:
the kernel's, the naive loop's and the copy's median time, the speed-up
naive ÷ kernel, the ratio kernel ÷ copy, and the issue's target where one
applies (f32 only), marked met or missed.

Usage: python3 grad-core/benches/ratios.py [CRITERION_DIR] [--type f32|f64]
"""

import json
import os
import sys

OPS = [
    "sigmoid_fwd", "sigmoid_bwd", "tanh_fwd", "tanh_bwd", "relu_fwd", "relu_bwd",
    "exp_fwd", "exp_bwd", "ln_fwd", "ln_bwd", "softplus_fwd", "softplus_bwd",
    "sum", "max", "mean", "dot", "mse_fwd", "mse_bwd", "matvec_fwd", "matvec_bwd",
    "softmax_row_fwd", "softmax_row_bwd",
    "softmax_fwd", "softmax_bwd", "log_softmax_fwd", "log_softmax_bwd",
    "cross_entropy_fwd", "cross_entropy_bwd",
]
ELEMENTWISE = {f"{op}_{d}" for op in ("sigmoid", "tanh", "relu", "exp", "ln", "softplus")
               for d in ("fwd", "bwd")}
BIG_ROWS = {"256x1000", "64x32000"}


def target(op, size):
    """The issue's f32 target for (op, size), as (description, check(row))."""
    if op == "sigmoid_fwd" and size in ("65536", "1048576"):
        return "≥ 10× naive", lambda r: r["speedup"] >= 10
    if op == "tanh_fwd" and size in ("65536", "1048576"):
        return "≥ 75× naive", lambda r: r["speedup"] >= 75
    if size == "1000" and op in ELEMENTWISE:
        return "< 0.3 µs", lambda r: r["kernel"] < 300
    # "backward kernels, relu, mse backward at 16 777 216": every *_bwd at 16M.
    if size in ("16777216", "4096x4096") and (op.endswith("_bwd") or op == "relu_fwd"):
        return "≤ 1.15× copy", lambda r: r["vs_copy"] <= 1.15
    reductions = ("sum", "max", "mean", "dot", "mse_fwd", "matvec_fwd")
    if size in ("1048576", "1024x1024") and op in reductions:
        return "≥ 3× naive", lambda r: r["speedup"] >= 3
    rowwise = op.split("_fwd")[0].split("_bwd")[0] in ("softmax", "log_softmax", "cross_entropy")
    if rowwise and size in BIG_ROWS:
        if op.endswith("_fwd"):
            return "≥ 15× naive", lambda r: r["speedup"] >= 15
        return "≥ 4× naive", lambda r: r["speedup"] >= 4
    return None


def load(root):
    """{(group, size): {function: median_ns}} from every new/ estimate under root."""
    data = {}
    for dirpath, _, files in os.walk(root):
        if os.path.basename(dirpath) != "new" or "benchmark.json" not in files:
            continue
        with open(os.path.join(dirpath, "benchmark.json")) as f:
            bench = json.load(f)
        with open(os.path.join(dirpath, "estimates.json")) as f:
            median = json.load(f)["median"]["point_estimate"]
        key = (bench["group_id"], bench["value_str"])
        data.setdefault(key, {})[bench["function_id"]] = median
    return data


def fmt_time(ns):
    if ns is None:
        return "–"
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def size_key(size):
    n = 1
    for part in size.split("x"):
        n *= int(part)
    return (n, size)


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    only = None
    if "--type" in argv:
        only = argv[argv.index("--type") + 1]
        args = [a for a in args if a != only]
    here = os.path.dirname(os.path.abspath(__file__))
    root = args[0] if args else os.path.join(here, "..", "..", "target", "criterion")
    data = load(root)
    if not data:
        sys.exit(f"no criterion results under {root}: run `cargo bench -p grad-core --bench kernels`")
    print("| op | type | size | kernel | naive | copy | naive ÷ kernel | kernel ÷ copy | target (f32) |")
    print("|---|---|---|---:|---:|---:|---:|---:|---|")
    met, missed = [], []
    groups = sorted({g for g, _ in data}, key=lambda g: (
        OPS.index(g[:-4]) if g[:-4] in OPS else len(OPS), g[-3:]))
    for group in groups:
        op, ty = group[:-4], group[-3:]
        if only and ty != only:
            continue
        for size in sorted((s for g, s in data if g == group), key=size_key):
            times = data[(group, size)]
            k, n, c = times.get("kernel"), times.get("naive"), times.get("copy")
            row = {
                "kernel": k,
                "speedup": n / k if k and n else float("nan"),
                "vs_copy": k / c if k and c else float("nan"),
            }
            cell = ""
            t = target(op, size) if ty == "f32" else None
            if t and k:
                ok = t[1](row)
                cell = f"{t[0]} {'✓' if ok else '✗ missed'}"
                (met if ok else missed).append(f"{op} {size}: {t[0]}")
            print(f"| {op} | {ty} | {size} | {fmt_time(k)} | {fmt_time(n)} | {fmt_time(c)} "
                  f"| {row['speedup']:.2f}× | {row['vs_copy']:.2f}× | {cell} |")
    print()
    print(f"Targets met: {len(met)}; missed: {len(missed)}" + (
        "".join(f"\n- missed: {m}" for m in missed)))


if __name__ == "__main__":
    main(sys.argv[1:])
