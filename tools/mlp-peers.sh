#!/usr/bin/env bash
# OPTIONAL (CI never runs this): the peers side of benches/mlp.rs. Times the
# same 784-128-10 tanh MLP gradient in PyTorch eager, torch.func and JAX jit
# with the project's peer script (peers/mlp.py, outside this repository), and
# with --rounds N interleaves it with the Rust benches in one sitting:
# bench, peers, bench, peers, ... then prints one table per round: batch 1
# (benches/mlp.rs) and batches 64 and 256 (benches/mlp_batch.rs: the
# hand-written gradient on grad::Matrix and its GEMMs alone).
#
#   python3 -m venv /work/venv && /work/venv/bin/pip install torch jax jaxlib numpy
#   PYTHON=/work/venv/bin/python tools/mlp-peers.sh              # peers only, JSON lines
#   PYTHON=/work/venv/bin/python tools/mlp-peers.sh --rounds 2   # interleaved with the bench
#   PYTHON=/work/venv/bin/python tools/mlp-peers.sh --rounds 1 --batch-only   # 64 and 256 only
#   FEATURES=parallel ... --batch-only   # the Rust benches with `--features parallel`
#                                        # (set RAYON_NUM_THREADS to pin their threads)
#
# Environment: PYTHON (default python3), PEERS (default ../shared/peers/mlp.py
# next to the repository), E2E_MIN_S (seconds per peer case, default 1.0),
# CARGO_TARGET_DIR (where the bench's criterion results are read), OUT (where
# logs go, default $CARGO_TARGET_DIR/mlp-peers), FEATURES (cargo features of
# the Rust benches, default none).
#
# Statistic: criterion's median for the Rust bench, the median of >= 1 s of
# samples for the peers. The peers run torch on one thread (peer script) and
# JAX with XLA's default threads.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-python3}"
peers="${PEERS:-$repo/../shared/peers/mlp.py}"
target="${CARGO_TARGET_DIR:-$repo/target}"
out="${OUT:-$target/mlp-peers}"
rounds=0
batch1=1
features="${FEATURES:-}"
while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) rounds="$2"; shift 2 ;;
        --batch-only) batch1=0; shift ;;
        *) echo "usage: $0 [--rounds N] [--batch-only]" >&2; exit 2 ;;
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

feat=()
[ -n "$features" ] && feat=(--features "$features")
[ "$batch1" -eq 1 ] && (cd "$repo" && cargo bench -q -p grad "${feat[@]}" --bench mlp --no-run)
(cd "$repo" && cargo bench -q -p grad "${feat[@]}" --bench mlp_batch --no-run)
for r in $(seq "$rounds"); do
    dir="$out/round$r"
    rm -rf "$dir" && mkdir -p "$dir"
    echo "== round $r: bench ($(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo "no git"))"
    if [ "$batch1" -eq 1 ]; then
        (cd "$repo" && cargo bench -q -p grad "${feat[@]}" --bench mlp) > "$dir/bench.txt" 2>&1
        for impl in generated hand_written copy_400kb; do
            cp "$target/criterion/mlp/$impl/new/estimates.json" "$dir/$impl.json"
        done
        (cd "$repo" && GRAD_INTERLEAVED=1 cargo bench -q -p grad "${feat[@]}" --bench mlp) 2>/dev/null | tee "$dir/interleaved.txt"
    fi
    (cd "$repo" && cargo bench -q -p grad "${feat[@]}" --bench mlp_batch) > "$dir/bench_batch.txt" 2>&1
    for est in "$target"/criterion/mlp_batch/*/*/new/estimates.json; do
        id="${est#"$target"/criterion/mlp_batch/}"
        id="${id%/new/estimates.json}"
        cp "$est" "$dir/batch_${id//\//_}.json"
    done
    echo "== round $r: peers"
    run_peers "$dir/peers.jsonl"
done

"$python" - "$out" "$rounds" <<'PY'
import json, os, sys
nan = float("nan")
out, rounds = sys.argv[1], int(sys.argv[2])
for r in range(1, rounds + 1):
    d = os.path.join(out, f"round{r}")
    peers = {}
    with open(os.path.join(d, "peers.jsonl")) as f:
        for line in f:
            p = json.loads(line)
            peers[(p["system"], p["case"])] = p["us"]
    grad = {}
    for name in os.listdir(d):
        if name.startswith("batch_") and name.endswith(".json"):
            impl, batch = name[len("batch_"):-len(".json")].rsplit("_", 1)
            with open(os.path.join(d, name)) as f:
                grad[(impl, int(batch))] = json.load(f)["median"]["point_estimate"] / 1e3
    if grad:
        print(f"round {r} (median µs per gradient)")
        print(f"  {'batch':<7}{'generated':>11}{'hand':>9}{'GEMMs':>9}{'share':>7}{'torch':>9}{'jax.jit':>9}"
              f"{'gen/hand':>10}{'gen/jax':>9}{'gen/torch':>11}")
        for b in (64, 256):
            e, h = grad.get(("generated", b), nan), grad.get(("hand", b), nan)
            g = grad.get(("gemm", b), nan)
            t, j = peers.get(("torch", f"mlp_b{b}"), nan), peers.get(("jax.jit", f"mlp_b{b}"), nan)
            print(f"  {b:<7}{e:>11.1f}{h:>9.1f}{g:>9.1f}{g / e:>7.0%}{t:>9.1f}{j:>9.1f}"
                  f"{e / h:>10.2f}{e / j:>9.2f}{e / t:>11.2f}")
        for (impl, b), v in sorted(grad.items()):
            if impl not in ("generated", "hand", "gemm"):
                print(f"  {impl + '/' + str(b):<18}{v:>10.1f}")
    if not os.path.exists(os.path.join(d, "generated.json")):
        continue
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
