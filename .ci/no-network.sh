#!/usr/bin/env bash
# The CLI and the app open no AF_INET / AF_INET6 socket (AF_UNIX, which X11
# and D-Bus use, is fine). Traces `mapline check`, `mapline export` and the
# app itself, started under Xvfb for a few seconds.
# usage: .ci/no-network.sh BINARY
set -euo pipefail
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

trace() { # NAME CMD...
    local name=$1
    shift
    local rc=0
    strace -f -qq -e trace=socket -o "$tmp/$name.strace" "$@" >"$tmp/$name.out" 2>&1 || rc=$?
    echo "$rc"
}

fail=0
check_trace() { # NAME
    local n
    n=$(grep -cE 'socket\((AF_INET|AF_INET6|PF_INET|PF_INET6)' "$tmp/$1.strace" || true)
    local all
    all=$(grep -c 'socket(' "$tmp/$1.strace" || true)
    echo "$1: $all socket(s) opened, $n of them AF_INET/AF_INET6"
    if [ "$n" != 0 ]; then
        grep -E 'socket\((AF_INET|AF_INET6|PF_INET|PF_INET6)' "$tmp/$1.strace" | head -5
        fail=1
    fi
}

rc=$(trace check "$bin" check)
[ "$rc" = 0 ] || { echo "mapline check failed ($rc)"; cat "$tmp/check.out"; exit 1; }
check_trace check

rc=$(trace export "$bin" export --format geojson "$tmp/view.geojson")
[ "$rc" = 0 ] || { echo "mapline export failed ($rc)"; cat "$tmp/export.out"; exit 1; }
check_trace export

# The app: in a real X server for five seconds. `timeout` ending it (124)
# means it was still running, drawing frames, when stopped.
export MAPLINE_CONFIG_DIR="$tmp/config"
# strace runs inside xvfb-run, so only the app (not the X server) is traced.
rc=0
xvfb-run -a -s "-screen 0 1280x800x24" \
    strace -f -qq -e trace=socket -o "$tmp/app.strace" timeout 5 "$bin" >"$tmp/app.out" 2>&1 || rc=$?
if [ "$rc" != 124 ]; then
    echo "the app did not run for 5 s under Xvfb (exit $rc):"
    tail -20 "$tmp/app.out"
    exit 1
fi
grep -q 'socket(AF_UNIX' "$tmp/app.strace" || { echo "the app never reached the X server"; exit 1; }
check_trace app
exit "$fail"
