#!/usr/bin/env bash
# Whole-process timing of `tokensmith sign` and `verify` (HS256 and RS256) beside jwt-cli's
# `encode` and `decode -S`, with hyperfine. Not a test: figures go in the issue notes.
#
#   bash benches/cli.sh                 # builds release; uses $JWT_CLI or jwt on PATH if there
#   JWT_CLI=/tmp/jwtcli/bin/jwt bash benches/cli.sh
#
# jwt-cli is never a dependency: install it into a temp root for the comparison:
#   cargo install jwt-cli --version 6.2.0 --root /tmp/jwtcli
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }
cargo build --release --quiet
TS=${TOKENSMITH:-$PWD/target/release/tokensmith}
JWT=${JWT_CLI:-$(command -v jwt || true)}
KEYS=$PWD/tests/fixtures/keys
HOME_DIR=$(mktemp -d)
trap 'rm -rf "$HOME_DIR"' EXIT
export TOKENSMITH_HOME=$HOME_DIR
export BENCH_SECRET=tokensmith-bench-secret-0123456789abcdef
RUNS=${RUNS:-300}

HS=$("$TS" sign -p generic-hs256 --secret-env BENCH_SECRET 2>/dev/null)
RS=$("$TS" sign -p generic-rs256 --key-file "$KEYS/rsa2048-pkcs8.pem" 2>/dev/null)
PAYLOAD='{"sub":"user-123"}'

MD=$(mktemp); trap 'rm -rf "$HOME_DIR" "$MD"' EXIT
args=(--warmup 20 --runs "$RUNS" -N --style basic --export-markdown "$MD")
cmds=(
  -n "tokensmith sign HS256" "$TS sign -p generic-hs256 --secret-env BENCH_SECRET"
  -n "tokensmith sign RS256" "$TS sign -p generic-rs256 --key-file $KEYS/rsa2048-pkcs8.pem"
  -n "tokensmith verify HS256" "$TS verify $HS --secret-env BENCH_SECRET"
  -n "tokensmith verify RS256" "$TS verify $RS --key-file $KEYS/rsa2048-pub-spki.pem"
)
if [ -n "$JWT" ]; then
  cmds+=(
    -n "jwt-cli encode HS256" "$JWT encode -S $BENCH_SECRET '$PAYLOAD'"
    -n "jwt-cli encode RS256" "$JWT encode -A RS256 -S @$KEYS/rsa2048-pkcs8.pem '$PAYLOAD'"
    -n "jwt-cli decode -S HS256" "$JWT decode -S $BENCH_SECRET $HS"
    -n "jwt-cli decode -S RS256" "$JWT decode -A RS256 -S @$KEYS/rsa2048-pub-spki.pem $RS"
  )
else
  echo "(jwt-cli not found: timing tokensmith alone)" >&2
fi
cmds+=(-n "process start (true)" "true")
hyperfine "${args[@]}" "${cmds[@]}" >&2
cat "$MD"
