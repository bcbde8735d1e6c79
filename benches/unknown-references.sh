#!/bin/sh
# "Did you mean" at scale: N events, each naming an unknown place (a typo of
# one of N places), checked with `mapline check --json`. Prints the wall time
# and peak memory, and checks that every reference got its suggestion.
#
#   benches/unknown-references.sh [BIN] [N ...]     (default: target/release/mapline, 1000 4000 20000)
set -eu
bin=${1:-target/release/mapline}
[ $# -gt 0 ] && shift
sizes=${*:-1000 4000 20000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for n in $sizes; do
    dir="$tmp/unknown-$n"
    mkdir -p "$dir"
    awk -v n="$n" 'BEGIN {
        print "{\"title\": \"Many unknown\", \"sources\": [], \"places\": ["
        for (i = 0; i < n; i++)
            printf "{\"id\": \"place-%05d\", \"name\": \"Place %d\", \"lon\": 1.0, \"lat\": 2.0, \"kind\": \"city\", \"precision\": \"city\"}%s\n", i, i, (i + 1 < n ? "," : "")
        print "], \"events\": ["
        for (i = 0; i < n; i++)
            printf "{\"id\": \"event-%d\", \"title\": \"Event %d\", \"time\": \"2022-07-15\", \"category\": \"cyber\", \"places\": [{\"place\": \"plase-%05d\", \"role\": \"location\"}]}%s\n", i, i, i, (i + 1 < n ? "," : "")
        print "]}"
    }' > "$dir/dataset.json"
    /usr/bin/time -f "%e %M" -o "$tmp/time" "$bin" check --json "$dir" > "$tmp/out.json" 2>/dev/null || true
    read -r secs kib <<EOT
$(tail -n 1 "$tmp/time")
EOT
    hinted=$(grep -c '"message": "unknown place id .* (did you mean ' "$tmp/out.json" || true)
    echo "unknown references $n x $n places: wall_s $secs  peak_rss_mb $((kib / 1024))  with_suggestion $hinted/$n"
done
