#!/usr/bin/env bash
# Builds and runs every tools/pass-cases/*.rs as a bin of a throwaway crate
# depending on `grad` by path; prints PASS/FAIL per case (see its README).
set -uo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="${WORK:-/tmp/grad-pass-cases}"
rm -rf "$work/src" && mkdir -p "$work/src/bin"
cat > "$work/Cargo.toml" <<TOML
[package]
name = "grad-pass-cases"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
grad = { path = "$repo" }

[workspace]
TOML
cp "$repo"/tools/pass-cases/*.rs "$work/src/bin/"
export CARGO_TARGET_DIR="$work/target"
fail=0
for f in "$repo"/tools/pass-cases/*.rs; do
    name="$(basename "$f" .rs)"
    if out="$(cd "$work" && cargo run -q --bin "$name" 2>&1)"; then
        echo "PASS $name"
    else
        echo "FAIL $name"
        echo "$out" | grep -E "^(error|thread)" | head -3 | sed 's/^/     /'
        fail=1
    fi
done
exit $fail
