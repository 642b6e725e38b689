#!/usr/bin/env bash
# Ratios of benches/vectors.rs: per loss and length, the time of one call of
# `generated` and of each hand-written baseline, and generated ÷ baseline.
#
#   cargo bench -p grad --bench vectors && tools/vector-bench-ratios.sh
#   tools/vector-bench-ratios.sh --runs 3   # run the bench 3 times; median over runs
#   tools/vector-bench-ratios.sh --median   # criterion's median of the last run
#
# Read from target/criterion/<loss>/<impl>/<length>/new/ after each run.
# Default statistic: per run, the FASTEST criterion sample (time ÷ iterations,
# from sample.json), the estimate least disturbed by other processes on a
# shared, loaded machine; with --runs, the median of that over the runs.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$here/target}"
mode="fastest"
runs=0
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs="$2"; shift 2 ;;
        --median) mode="median"; shift ;;
        *) echo "usage: $0 [--runs N] [--median]" >&2; exit 2 ;;
    esac
done
pool="$(mktemp -d)"
trap 'rm -rf "$pool"' EXIT
collect() {
    python3 - "$target/criterion" "$mode" "$pool/run-$1.json" <<'PY'
import json, os, sys
root, mode, out = sys.argv[1:4]
res = {}
for loss in ("cross_entropy", "mse"):
    base = os.path.join(root, loss)
    if not os.path.isdir(base):
        continue
    for impl in os.listdir(base):
        d = os.path.join(base, impl)
        for n in (s for s in os.listdir(d) if s.isdigit()):
            new = os.path.join(d, n, "new")
            try:
                if mode == "median":
                    with open(os.path.join(new, "estimates.json")) as f:
                        t = json.load(f)["median"]["point_estimate"]
                else:
                    with open(os.path.join(new, "sample.json")) as f:
                        s = json.load(f)
                    t = min(a / b for a, b in zip(s["times"], s["iters"]))
            except FileNotFoundError:
                continue
            res[f"{loss}|{impl}|{n}"] = t
with open(out, "w") as f:
    json.dump(res, f)
PY
}
if [ "$runs" -gt 0 ]; then
    for r in $(seq "$runs"); do
        (cd "$here" && cargo bench -q -p grad --bench vectors > /dev/null 2>&1)
        collect "$r"
    done
else
    collect 1
fi
python3 - "$pool" "$mode" <<'PY'
import json, os, statistics, sys
pool, mode = sys.argv[1:3]
runs = [json.load(open(os.path.join(pool, f))) for f in sorted(os.listdir(pool))]
keys = set().union(*runs)
t = {k: statistics.median([r[k] for r in runs if k in r]) for k in keys}
if not t:
    sys.exit("no results: run `cargo bench -p grad --bench vectors` first")
print(f"statistic: {mode} sample, median over {len(runs)} run(s)")
print(f"{'loss':<14}{'n':>7}{'generated':>13}  {'baseline':<14}{'time':>12}{'gen ÷ base':>12}")
bases = {"cross_entropy": ["hand-written", "hand-kernel"], "mse": ["hand-written", "hand-lanes"]}
for loss, bs in bases.items():
    ns = sorted({int(k.split("|")[2]) for k in t if k.startswith(loss + "|generated|")})
    for n in ns:
        gen = t[f"{loss}|generated|{n}"]
        for b in bs:
            if (base := t.get(f"{loss}|{b}|{n}")):
                print(f"{loss:<14}{n:>7}{gen/1e3:>10.3f} µs  {b:<14}{base/1e3:>9.3f} µs{gen/base:>11.2f}×")
PY
