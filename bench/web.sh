#!/usr/bin/env bash
# The web server under load at the demo size and at 10,000 candidates.
#
# For each size: seeds a fresh database (`serve --demo` for the demo size,
# `multiplier demo seed --candidates N` otherwise), starts `multiplier serve` on a
# loopback port, signs in as priya (the password the seeding printed) and issues a
# read-only API token, then for each page — the openings list, an opening's board,
# a candidate's page, an opening's debrief, a search with a query, the API's
# candidate list — prints p50/p99 and requests per second with 1 connection and
# with $CONNS connections (crates/web/examples/load.rs), and the server's resident
# memory: idle after start, peak (VmHWM) under the load, and after it. Last, a
# table of the issue-14 targets for the largest size against the first: each
# page's median with one connection (at most 25 ms and twice the first size's),
# its p99 under $CONNS connections (at most 50 ms), idle and peak memory (30 and
# 100 MB), each marked met or MISSED. Each load run is kept in
# $BENCH_DIR/load-SIZE-CONNS.txt.
#
#   bench/web.sh                        # demo size and 10,000 candidates
#   SIZES="demo 2000" SECONDS_PER=3 bench/web.sh
#   CONNS=16 bench/web.sh
#   bench/web.sh --db postgres://postgres@127.0.0.1:5432/bench   # on PostgreSQL
#   BENCH_PG=postgres://postgres@127.0.0.1:5432/bench bench/web.sh
#
# On PostgreSQL (--db URL or BENCH_PG=URL; the database must exist) each size gets
# its own schema, bench_web_SIZE, dropped and made again before seeding and left
# afterwards for inspection; the server is pointed at it with the URL parameter
# `options=-c search_path=…`. The RSS figures are the multiplier server's only, not
# PostgreSQL's. Needs psql besides curl.
#
# Needs curl. The machine is shared: the load average is printed with each size.
set -euo pipefail
cd "$(dirname "$0")/.."
PG=${BENCH_PG:-}
while [ $# -gt 0 ]; do
    case "$1" in
        --db) PG=${2:?--db needs a postgres:// URL}; shift 2 ;;
        --db=*) PG=${1#--db=}; shift ;;
        *) echo "unknown argument: $1 (the only one is --db postgres://…)" >&2; exit 2 ;;
    esac
done
if [ -n "$PG" ]; then
    case "$PG" in
        postgres://*|postgresql://*) ;;
        *) echo "--db (or BENCH_PG) must be a postgres:// URL; without it the bench runs on SQLite files" >&2; exit 2 ;;
    esac
    command -v psql > /dev/null || { echo "the PostgreSQL bench needs psql" >&2; exit 2; }
    case "$PG" in *\?*) PG_SEP='&' ;; *) PG_SEP='?' ;; esac
fi
SIZES=${SIZES:-"demo 10000"}
SECONDS_PER=${SECONDS_PER:-5}
CONNS=${CONNS:-64}
PORT=${PORT:-18437}
TIMEOUT=${TIMEOUT:-30}
DIR=${BENCH_DIR:-$(mktemp -d)}

cargo build --release -q -p multiplier
cargo build --release -q -p multiplier-web --example load
BIN=${CARGO_TARGET_DIR:-target}/release/multiplier
LOAD=${CARGO_TARGET_DIR:-target}/release/examples/load
BASE="http://127.0.0.1:$PORT"

rss() { awk -v k="$2:" '$1 == k {printf "%.1f MB", $2 / 1024}' "/proc/$1/status"; }

wait_listening() { # log file
    for _ in $(seq 600); do
        grep -q "serving on" "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    echo "the server did not start:" >&2
    cat "$1" >&2
    exit 1
}

for size in $SIZES; do
    log="$DIR/serve-$size.log"
    if [ -n "$PG" ]; then
        schema="bench_web_$size"
        PGOPTIONS="-c client_min_messages=warning" psql -q -v ON_ERROR_STOP=1 "$PG" -c "DROP SCHEMA IF EXISTS $schema CASCADE" -c "CREATE SCHEMA $schema"
        db="$PG${PG_SEP}options=-c%20search_path%3D$schema"
        backend="PostgreSQL, schema $schema"
    else
        db="$DIR/web-$size.db"
        rm -f "$db" "$db-wal" "$db-shm"
        backend="SQLite, $db"
    fi
    echo "== size: $size on $backend (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    if [ "$size" = demo ]; then
        "$BIN" serve --demo --addr "127.0.0.1:$PORT" --db "$db" 2> "$log" &
        server=$!
        wait_listening "$log"
        password=$(sed -n 's/.*with the password: \([A-Za-z0-9]*\).*/\1/p' "$log" | head -n 1)
        opening=1
        candidate=8
    else
        start=$(date +%s.%N)
        "$BIN" demo seed --candidates "$size" --db "$db" > "$DIR/seed-$size.out" 2> "$DIR/seed-$size.log"
        end=$(date +%s.%N)
        cat "$DIR/seed-$size.out"
        printf 'seeding wall time: %.1f s\n' "$(echo "$end - $start" | bc)"
        password=$(sed -n 's/.*with the password: \([A-Za-z0-9]*\).*/\1/p' "$DIR/seed-$size.log" | head -n 1)
        "$BIN" serve --addr "127.0.0.1:$PORT" --db "$db" 2> "$log" &
        server=$!
        wait_listening "$log"
        opening=1
        # A candidate late in the loop of the first opening: many scorecards.
        candidate=$(( size / 40 ))
    fi
    trap 'kill $server 2>/dev/null || true' EXIT
    token=$("$BIN" token create --for priya --label bench --scope read-only --db "$db" --format json |
        sed -n 's/.*"token": "\([^"]*\)".*/\1/p')
    sleep 1
    rss "$server" VmRSS > "$DIR/idle-$size.txt"
    echo "idle RSS after start: $(cat "$DIR/idle-$size.txt")"
    pages=(/openings "/openings/$opening" "/candidates/$candidate" "/openings/$opening/debrief" "/candidates?text=queue")
    for conns in 1 "$CONNS"; do
        {
            "$LOAD" --base "$BASE" --sign-in "priya:$password" --connections "$conns" \
                --seconds "$SECONDS_PER" --timeout "$TIMEOUT" "${pages[@]}"
            "$LOAD" --base "$BASE" --bearer "$token" --connections "$conns" \
                --seconds "$SECONDS_PER" --timeout "$TIMEOUT" /api/v1/candidates
        } | tee "$DIR/load-$size-$conns.txt"
        echo "RSS after $conns connection(s): $(rss "$server" VmRSS), peak so far $(rss "$server" VmHWM)"
    done
    sleep 2
    rss "$server" VmHWM > "$DIR/peak-$size.txt"
    echo "RSS 2 s after the load: $(rss "$server" VmRSS); peak $(cat "$DIR/peak-$size.txt")"
    kill "$server"
    wait "$server" 2>/dev/null || true
    trap - EXIT
done

# The issue-14 targets, for the largest size against the first (the demo size
# unless SIZES says otherwise): each page's median with one connection at most
# 25 ms and at most twice the first size's, its p99 under $CONNS connections at
# most 50 ms, idle memory at most 30 MB and the peak under load at most 100 MB.
first=${SIZES%% *}
last=${SIZES##* }
if [ "$first" != "$last" ]; then
    field() { # file line name -> the value after `name` on that line of the load output
        grep ' conns ' "$1" | awk -v n="$2" -v k="$3" 'NR == n { for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }'
    }
    verdict() { awk -v v="$1" -v max="$2" 'BEGIN { print (v != "" && v + 0 <= max + 0) ? "met" : "MISSED" }'; }
    echo
    echo "== targets at $last against $first"
    printf '%-10s %9s %9s %6s %-7s %9s %-7s\n' page "p50 $first" "p50 $last" ratio "" "p99 x$CONNS" ""
    n=0
    for name in openings board candidate debrief search api-list; do
        n=$((n + 1))
        small=$(field "$DIR/load-$first-1.txt" "$n" p50)
        big=$(field "$DIR/load-$last-1.txt" "$n" p50)
        tail99=$(field "$DIR/load-$last-$CONNS.txt" "$n" p99)
        ratio=$(awk -v a="$small" -v b="$big" 'BEGIN { if (a > 0) printf "%.1f", b / a }')
        # Judged on the medians themselves, not the ratio rounded for print
        # (0.81 against 0.40 is 2.03 times, shown as 2.0x, and missed).
        twice=$(awk -v a="$small" 'BEGIN { if (a != "") print 2 * a }')
        ok=$( [ "$(verdict "$big" 25)" = met ] && [ "$(verdict "$big" "$twice")" = met ] && echo met || echo MISSED )
        printf '%-10s %9s %9s %5sx %-7s %9s %-7s\n' "$name" "$small" "$big" "$ratio" "$ok" "$tail99" "$(verdict "$tail99" 50)"
    done
    idle=$(cut -d' ' -f1 "$DIR/idle-$last.txt")
    peak=$(cut -d' ' -f1 "$DIR/peak-$last.txt")
    echo "idle memory $idle MB ($(verdict "$idle" 30)); peak under load $peak MB ($(verdict "$peak" 100))"
fi
