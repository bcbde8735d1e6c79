#!/bin/sh
# ACLED CSV: `mapline check` against DuckDB's read_csv into a table, on the
# same generated file (the 25 columns of an ACLED export), one after the
# other. Needs `pip install duckdb`. Prints wall seconds and peak RSS of each.
#
#   benches/acled-vs-duckdb.sh [BIN] [ROWS ...]   (default: target/release/mapline, 100000 1000000)
set -eu
bin=${1:-target/release/mapline}
[ $# -gt 0 ] && shift
sizes=${*:-100000 1000000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for n in $sizes; do
    csv="$tmp/acled-$n.csv"
    "$bin" generate --format acled --events "$n" --out "$csv" > /dev/null
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
    echo "acled $n rows ($mb MB): mapline check ${m% *} s, ${m#* } KiB peak; duckdb read_csv ${d% *} s, ${d#* } KiB peak; duckdb rows $(tail -n 1 "$tmp/rows")"
done
