#!/bin/sh
# Seeds fuzz/corpus/<target>/ from the repository's data and fixtures.
# Run from fuzz/. Corpora are not committed (see .gitignore).
set -eu
c=corpus
mkdir -p $c/native_loader $c/edtf $c/timelinejs_json $c/timelinejs_csv $c/acled $c/geojson $c/detect $c/untrusted_text
cp ../data/albania-iran/dataset.json $c/native_loader/albania-iran.json
for d in quote-not-in-article several-errors interval-ends-before-start claim-unknown-event link-to-unknown-event duplicate-event-id unknown-field trailing-garbage not-edtf latitude-200 duplicate-key-native self-link link-cycle one-character-quote sha256-too-short manifest-is-array datetime-interval; do
  [ -f ../tests/broken/$d/dataset.json ] && cp ../tests/broken/$d/dataset.json $c/native_loader/$d.json
done
cp ../tests/fixtures/timelinejs/*.json ../tests/fixtures/timelinejs/*.jsonp $c/timelinejs_json/
cp ../tests/fixtures/timelinejs/*.csv $c/timelinejs_csv/
cp ../tests/fixtures/acled/*.csv $c/acled/
cp ../tests/fixtures/geojson/*.geojson ../tests/fixtures/usgs/*.geojson $c/geojson/
cp ../tests/fixtures/deep-time/dataset.json $c/native_loader/deep-time.json
cp ../tests/fixtures/*/* $c/detect/ 2>/dev/null || true
rm -f $c/detect/README.md
cp ../tests/broken/quote-not-in-article/dataset.json $c/detect/native.json
# EDTF: every "time"/"published" value in the shipped data, plus a few shapes.
i=0
for t in $(grep -ho '"\(time\|published\)": *"[^"]*"' ../data/*/dataset.json ../tests/broken/*/dataset.json | sed 's/.*: *"\(.*\)"/\1/' | sort -u) \
    2022-07-15 2022-07 2022 199X 1980/2003 ../2012 2022-09/.. 2022-07-15~ 2022? 2004-06-11T09:30:00Z -0044-03-15 '[1667,1668]' 2022-21 19XX/2000~ \
    Y-13800000000 Y-138E8S3 1950S2 Y12000 Y-4600000000/Y-4500000000 2017-01-21T20:26:52+02:00; do
  i=$((i+1)); printf '%s' "$t" > $c/edtf/seed$i
done
# The guards: JSON with repeated keys, text with control characters, id lists.
cp ../tests/broken/timelinejs-duplicate-key/input.json $c/untrusted_text/dup-keys.json
cp ../tests/broken/geojson-duplicate-key/input.geojson $c/untrusted_text/dup-coordinates.json
cp ../tests/broken/escape-sequences-in-article/sources/wire.txt $c/untrusted_text/escapes.txt
cp ../tests/broken/bidi-control-in-quote/sources/wire.txt $c/untrusted_text/bidi.txt
printf 'tirana\ntehran\nmanez-ashraf-3\nsarajevo\ntiranna\n' > $c/untrusted_text/ids.txt
cp ../tests/broken/timelinejs-duplicate-key/input.json $c/timelinejs_json/dup-keys.json
cp ../tests/broken/timelinejs-events-null/input.json $c/timelinejs_json/events-null.json
cp ../tests/broken/geojson-duplicate-key/input.geojson $c/geojson/dup-coordinates.geojson
cp ../tests/broken/acled-duplicate-column/input.csv $c/acled/dup-column.csv
cp ../tests/broken/acled-february-29/input.csv $c/acled/february-29.csv
