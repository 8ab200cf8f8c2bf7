#!/usr/bin/env bash
# Key store figures: in-process (benches/store.rs), then whole-process `tokensmith keys list`
# on the same 1,000-entry store with hyperfine. Not a test: figures go in the issue notes.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }
HOME_DIR=$(mktemp -d)
trap 'rm -rf "$HOME_DIR"' EXIT
STORE_OUT=$HOME_DIR cargo bench --quiet --bench store
cargo build --release --quiet
TOKENSMITH_HOME=$HOME_DIR hyperfine -N --warmup 5 --runs "${RUNS:-50}" --style basic \
  -n "tokensmith keys list (1,000 entries)" "${TOKENSMITH:-$PWD/target/release/tokensmith} keys list" \
  -n "tokensmith keys list --json (1,000 entries)" "${TOKENSMITH:-$PWD/target/release/tokensmith} keys list --json"
