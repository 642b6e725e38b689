#!/usr/bin/env bash
# Ratios of benches/vectors.rs: per loss and length, the time of one call of
# `generated` and of each hand-written baseline, and generated ÷ baseline.
#
#   cargo bench -p grad --bench vectors && tools/vector-bench-ratios.sh
#   tools/vector-bench-ratios.sh --median   # criterion's median instead
#
# Read from target/criterion/<loss>/<impl>/<length>/new/ of the last run.
# Default statistic: the FASTEST criterion sample (time ÷ iterations, from
# sample.json), the estimate least disturbed by other processes on a shared,
# loaded machine; `--median` uses estimates.json's median.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$here/target}"
mode="fastest"
case "${1:-}" in
    --median) mode="median" ;;
    "") ;;
    *) echo "usage: $0 [--median]" >&2; exit 2 ;;
esac
python3 - "$target/criterion" "$mode" <<'PY'
import json, os, sys
root, mode = sys.argv[1], sys.argv[2]
def ns(loss, impl, n):
    d = os.path.join(root, loss, impl, str(n), "new")
    try:
        if mode == "median":
            with open(os.path.join(d, "estimates.json")) as f:
                return json.load(f)["median"]["point_estimate"]
        with open(os.path.join(d, "sample.json")) as f:
            s = json.load(f)
        return min(t / i for t, i in zip(s["times"], s["iters"]))
    except FileNotFoundError:
        return None
impls = {"cross_entropy": ["hand-written", "hand-kernel"], "mse": ["hand-written", "hand-lanes"]}
print(f"statistic: {mode} sample")
print(f"{'loss':<14}{'n':>7}{'generated':>13}  {'baseline':<14}{'time':>12}{'gen ÷ base':>12}")
found = False
for loss, bases in impls.items():
    d = os.path.join(root, loss, "generated")
    if not os.path.isdir(d):
        continue
    for n in sorted(int(s) for s in os.listdir(d) if s.isdigit()):
        gen = ns(loss, "generated", n)
        for base in bases:
            t = ns(loss, base, n)
            if gen and t:
                found = True
                print(f"{loss:<14}{n:>7}{gen/1e3:>10.3f} µs  {base:<14}{t/1e3:>9.3f} µs{gen/t:>11.2f}×")
if not found:
    sys.exit("no results: run `cargo bench -p grad --bench vectors` first")
PY
