#!/usr/bin/env bash
# Refactor check: build the bundled data/ and the whole corpus with two bench-report binaries
# and diff every output byte. summary.json's schema fields are the only lines allowed to differ
# when SCHEMA_CHANGE=1 (a schema bump); anything else is printed and fails the script.
#
#   scripts/same-output.sh OLD_BINARY NEW_BINARY [CORPUS]
#
# A binary of an earlier commit: `git worktree add /tmp/old REV && cargo build --release
# --manifest-path /tmp/old/Cargo.toml --target-dir /tmp/old-target`.
set -euo pipefail
old=$1
new=$2
corpus=${3:-../shared/acceptance/real}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

run() { # binary name args...
  local bin=$1 name=$2
  shift 2
  "$bin" build "$@" -o "$out/$name/site" --quiet >"$out/$name.log" 2>&1 || echo "exit $?" >>"$out/$name.log"
  "$bin" export "$@" --to csv -o "$out/$name/runs.csv" >>"$out/$name.log" 2>&1 || echo "exit $?" >>"$out/$name.log"
}

status=0
for side in old new; do
  bin=${!side}
  run "$bin" "$side-data" data/
  run "$bin" "$side-corpus" "$corpus" --on-bad-file skip
done
for set in data corpus; do
  a=$out/old-$set b=$out/new-$set
  if ! diff -r -x summary.json "$a" "$b" >"$out/diff-$set.txt"; then
    echo "$set: pages or runs.csv differ:"; head -40 "$out/diff-$set.txt"; status=1
  fi
  if ! diff "$out/old-$set.log" "$out/new-$set.log" >/dev/null; then
    echo "$set: messages differ:"; diff "$out/old-$set.log" "$out/new-$set.log" | head -20; status=1
  fi
  if [ -f "$a/site/data/summary.json" ]; then
    if ! diff <(grep -v '"schema' "$a/site/data/summary.json") \
      <(grep -v '"schema' "$b/site/data/summary.json") >"$out/json-$set.txt"; then
      echo "$set: summary.json differs beyond its schema fields:"; head -40 "$out/json-$set.txt"; status=1
    fi
  fi
  echo "$set: $(find "$b" -type f | wc -l) files compared"
done
[ "$status" = 0 ] && echo "same output"
exit $status
