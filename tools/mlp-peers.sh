#!/usr/bin/env bash
# OPTIONAL (CI never runs this): the peers side of benches/mlp.rs. Times the
# same 784-128-10 tanh MLP gradient in PyTorch eager, torch.func and JAX jit
# with the project's peer script (peers/mlp.py, outside this repository), and
# with --rounds N interleaves it with the Rust bench in one sitting:
# bench, peers, bench, peers, ... then prints one table per round.
#
#   python3 -m venv /work/venv && /work/venv/bin/pip install torch jax jaxlib numpy
#   PYTHON=/work/venv/bin/python tools/mlp-peers.sh              # peers only, JSON lines
#   PYTHON=/work/venv/bin/python tools/mlp-peers.sh --rounds 2   # interleaved with the bench
#
# Environment: PYTHON (default python3), PEERS (default ../shared/peers/mlp.py
# next to the repository), E2E_MIN_S (seconds per peer case, default 1.0),
# CARGO_TARGET_DIR (where the bench's criterion results are read), OUT (where
# logs go, default $CARGO_TARGET_DIR/mlp-peers).
#
# Statistic: criterion's median for the Rust bench, the median of >= 1 s of
# samples for the peers; batch 1 for the ratios (the bench is batch 1).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-python3}"
peers="${PEERS:-$repo/../shared/peers/mlp.py}"
target="${CARGO_TARGET_DIR:-$repo/target}"
out="${OUT:-$target/mlp-peers}"
rounds=0
while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) rounds="$2"; shift 2 ;;
        *) echo "usage: $0 [--rounds N]" >&2; exit 2 ;;
    esac
done
[ -f "$peers" ] || { echo "no peer script at $peers (set PEERS)" >&2; exit 1; }
mkdir -p "$out"

run_peers() { # $1 = log file
    for which in torch jax; do
        "$python" "$peers" "$which" | tee -a "$1"
    done
}

if [ "$rounds" -eq 0 ]; then
    run_peers "$out/peers.jsonl"
    exit 0
fi

(cd "$repo" && cargo bench -q -p grad --bench mlp --no-run)
for r in $(seq "$rounds"); do
    dir="$out/round$r"
    rm -rf "$dir" && mkdir -p "$dir"
    echo "== round $r: bench ($(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo "no git"))"
    (cd "$repo" && cargo bench -q -p grad --bench mlp) > "$dir/bench.txt" 2>&1
    for impl in generated hand_written copy_400kb; do
        cp "$target/criterion/mlp/$impl/new/estimates.json" "$dir/$impl.json"
    done
    (cd "$repo" && GRAD_INTERLEAVED=1 cargo bench -q -p grad --bench mlp) 2>/dev/null | tee "$dir/interleaved.txt"
    echo "== round $r: peers"
    run_peers "$dir/peers.jsonl"
done

"$python" - "$out" "$rounds" <<'PY'
import json, os, sys
out, rounds = sys.argv[1], int(sys.argv[2])
for r in range(1, rounds + 1):
    d = os.path.join(out, f"round{r}")
    us = {}
    for impl in ("generated", "hand_written", "copy_400kb"):
        with open(os.path.join(d, impl + ".json")) as f:
            us["grad " + impl] = json.load(f)["median"]["point_estimate"] / 1e3
    with open(os.path.join(d, "peers.jsonl")) as f:
        for line in f:
            p = json.loads(line)
            if p["case"] == "mlp_b1":
                us[p["system"]] = p["us"]
    print(f"round {r} (batch 1, median µs per gradient)")
    for k, v in us.items():
        print(f"  {k:<18}{v:>10.2f}")
    g = us["grad generated"]
    print(f"  generated/hand_written {g / us['grad hand_written']:.2f}"
          f"   jax.jit/generated {us.get('jax.jit', float('nan')) / g:.2f}"
          f"   torch/generated {us.get('torch', float('nan')) / g:.2f}")
PY
