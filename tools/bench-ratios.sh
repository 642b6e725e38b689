#!/usr/bin/env bash
# Prints, per function of benches/gradients.rs, the criterion point estimates
# (mean, ns) and the ratios generated ÷ hand-written and num-dual ÷ generated.
# Run after `cargo bench -p grad --bench gradients`.
set -euo pipefail
dir="${CARGO_TARGET_DIR:-$(dirname "$0")/../target}/criterion"
python3 - "$dir" <<'PY'
import json, os, sys
root = sys.argv[1]
def mean(group, impl):
    p = os.path.join(root, group, impl, "new", "estimates.json")
    with open(p) as f:
        return json.load(f)["mean"]["point_estimate"]
print(f"{'fn':<12}{'generated':>11}{'hand':>9}{'num-dual':>10}{'gen/hand':>10}{'dual/gen':>10}{'gen/hand-opt':>14}")
worst = 0.0
for group in ["neuron", "poly10", "net3", "tanh_heavy", "soft_mix", "pow_mix"]:
    try:
        g, h, d = (mean(group, i) for i in ("generated", "hand-written", "num-dual"))
    except FileNotFoundError:
        print(f"{group:<12} (no results)")
        continue
    worst = max(worst, g / h)
    try:
        opt = f"{g / mean(group, 'hand-optimized'):>14.2f}"
    except FileNotFoundError:
        opt = ""
    print(f"{group:<12}{g:>9.2f}ns{h:>7.2f}ns{d:>8.2f}ns{g / h:>10.2f}{d / g:>10.2f}{opt}")
print(f"worst generated/hand-written: {worst:.2f} (target <= 1.10)")
PY
