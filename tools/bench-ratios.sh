#!/usr/bin/env bash
# Ratios of benches/gradients.rs: per function, the time of one gradient for
# each implementation and generated ÷ hand-written, num-dual ÷ generated (and
# generated ÷ hand-optimized where the bench has one).
#
#   tools/bench-ratios.sh            # read the last `cargo bench -p grad --bench gradients`
#   tools/bench-ratios.sh --runs 3   # run the bench 3 times, pool the samples
#   tools/bench-ratios.sh --mean     # criterion's mean of the last run instead
#
# Steadier still on a loaded machine: `GRAD_INTERLEAVED=1 cargo bench -p grad
# --bench gradients` times the implementations in alternating slices.
#
# Default statistic: per run, the FASTEST criterion sample (time ÷ iterations),
# the estimate least disturbed by other processes on a shared, loaded machine;
# then the median over runs made at different moments, so neither one busy nor
# one lucky moment decides a ratio.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$here/target}"
pool="$target/criterion-pool"
mode="fastest"
runs=0
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs="$2"; shift 2 ;;
        --mean) mode="mean"; shift ;;
        *) echo "usage: $0 [--runs N] [--mean]" >&2; exit 2 ;;
    esac
done
if [ "$runs" -gt 0 ]; then
    rm -rf "$pool"
    for r in $(seq "$runs"); do
        mkdir -p "$pool/$r"
        touch "$pool/$r.start"
        (cd "$here" && cargo bench -q -p grad --bench gradients > /dev/null 2>&1)
        # Only this run's results (not stale groups of earlier bench versions).
        (cd "$target/criterion" && find . -path '*/new/sample.json' -newer "$pool/$r.start" -exec cp --parents {} "$pool/$r/" \;)
    done
fi
python3 - "$target/criterion" "$pool" "$mode" "$runs" <<'PY'
import glob, json, os, sys
crit, pool, mode, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
def ns(group, impl):
    if mode == "mean":
        with open(os.path.join(crit, group, impl, "new", "estimates.json")) as f:
            return json.load(f)["mean"]["point_estimate"]
    paths = (glob.glob(os.path.join(pool, "*", group, impl, "new", "sample.json")) if runs
             else [os.path.join(crit, group, impl, "new", "sample.json")])
    per_run = []
    for p in paths:
        with open(p) as f:
            s = json.load(f)
        per_run.append(min(t / n for t, n in zip(s["times"], s["iters"])))
    if not per_run:
        raise FileNotFoundError(group + "/" + impl)
    per_run.sort()
    return per_run[len(per_run) // 2]
print("statistic:", "criterion mean, last run" if mode == "mean"
      else f"median over {max(runs, 1)} run(s) of each run's fastest sample")
print(f"{'fn':<12}{'generated':>11}{'hand':>9}{'num-dual':>10}{'gen/hand':>10}{'dual/gen':>10}{'gen/hand-opt':>14}")
worst = 0.0
for group in ["neuron", "poly10", "net3", "tanh_heavy", "soft_mix", "pow_mix"]:
    try:
        g, h, d = (ns(group, i) for i in ("generated", "hand-written", "num-dual"))
    except (FileNotFoundError, OSError):
        print(f"{group:<12} (no results)")
        continue
    try:
        opt = f"{g / ns(group, 'hand-optimized'):>14.2f}"
    except (FileNotFoundError, OSError):
        opt = ""
    worst = max(worst, g / h)
    print(f"{group:<12}{g:>9.2f}ns{h:>7.2f}ns{d:>8.2f}ns{g / h:>10.2f}{d / g:>10.2f}{opt}")
print(f"worst generated/hand-written: {worst:.2f} (target <= 1.10)")
PY
