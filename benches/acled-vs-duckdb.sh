#!/bin/sh
# ACLED CSV: `mapline check` against DuckDB's read_csv into a table, on the
# same generated file (the 25 columns of an ACLED export), one after the
# other. Needs `pip install duckdb`. Prints wall seconds and peak RSS of each.
#
#   benches/acled-vs-duckdb.sh [BIN] [ROWS ...]   (default: target/release/mapline, 100000 1000000)
#
# Two shapes each: the bench's file (16,000 locations in 12 countries, notes of
# 50-500 characters) and another (16,000 locations in 8 countries, 2,000 each,
# notes of 100-400 characters). Set SHAPES=a or SHAPES=b for one.
set -eu
bin=${1:-target/release/mapline}
[ $# -gt 0 ] && shift
sizes=${*:-100000 1000000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for n in $sizes; do
  for shape in ${SHAPES:-a b}; do
    csv="$tmp/acled-$n-$shape.csv"
    if [ "$shape" = b ]; then
        "$bin" generate --format acled --events "$n" --locations 16000 --countries 8 --notes 100-400 --out "$csv" > /dev/null
    else
        "$bin" generate --format acled --events "$n" --out "$csv" > /dev/null
    fi
    mb=$(( $(wc -c < "$csv") / 1000000 ))
    /usr/bin/time -f "%e %M" -o "$tmp/m" "$bin" check "$csv" > /dev/null 2>&1 || true
    /usr/bin/time -f "%e %M" -o "$tmp/d" python3 -c "
import duckdb, sys
con = duckdb.connect()
con.execute('SET threads TO 2')
con.execute(\"CREATE TABLE t AS SELECT * FROM read_csv('$csv')\")
print(con.execute('SELECT count(*) FROM t').fetchone()[0], file=sys.stderr)
" 2> "$tmp/rows"
    m=$(tail -n 1 "$tmp/m"); d=$(tail -n 1 "$tmp/d")
    echo "acled $n rows, shape $shape ($mb MB): mapline check ${m% *} s, ${m#* } KiB peak; duckdb read_csv ${d% *} s, ${d#* } KiB peak; duckdb rows $(tail -n 1 "$tmp/rows")"
  done
done

