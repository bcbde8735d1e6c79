#!/bin/sh
# Runs the given targets one after another, 600 s each (two queues at a time).
# Each runs in logs/<target>/ so libFuzzer's -jobs log (fuzz-0.log) does not collide.
cd "$(dirname "$0")" || exit 1
F=$(pwd)
for t in "$@"; do
  mkdir -p "$F/artifacts/$t" "$F/corpus/$t" "$F/logs/$t"
  echo "START $t $(date -u +%FT%TZ)" >> "$F/logs/times.txt"
  (cd "$F/logs/$t" && "$F/target/x86_64-unknown-linux-gnu/release/$t" "$F/corpus/$t" \
    -max_total_time=600 -timeout=10 -rss_limit_mb=2048 -jobs=1 -workers=1 \
    -print_final_stats=1 -artifact_prefix="$F/artifacts/$t/" > parent.log 2>&1)
  echo "END $t rc=$? $(date -u +%FT%TZ)" >> "$F/logs/times.txt"
done
