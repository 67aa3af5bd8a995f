#!/usr/bin/env bash
# Times `multiplier metrics git` against `git log --format='%H %at %ct %P %s'` over
# the same synthetic repository (200,000 commits, 2,000 annotated tags by default),
# several runs each, and prints the median wall times, their ratio and peak memory.
#
#   bench/metrics-git.sh                    # defaults
#   COMMITS=20000 TAGS=200 RUNS=3 bench/metrics-git.sh
#   BENCH_DIR=/tmp/mbench bench/metrics-git.sh   # reuse a generated repository
#
# Needs git, python3 and GNU time (/usr/bin/time; Debian package `time`).
set -euo pipefail
cd "$(dirname "$0")/.."
COMMITS=${COMMITS:-200000}
TAGS=${TAGS:-2000}
RUNS=${RUNS:-5}
DIR=${BENCH_DIR:-$(mktemp -d)}
REPO="$DIR/repo-$COMMITS-$TAGS"

if [ ! -x /usr/bin/time ]; then
    echo "GNU time is needed: apt-get install time" >&2
    exit 2
fi

if [ ! -d "$REPO" ]; then
    echo "generating $COMMITS commits and $TAGS tags in $REPO ..." >&2
    git init -q -b main "$REPO"
    half=$((COMMITS / 2))
    # Two batches: the second reverts commits of the first by their real ids.
    python3 bench/make-history.py 1 "$half" "$COMMITS" "$TAGS" |
        git -C "$REPO" fast-import --quiet --export-marks="$DIR/marks"
    python3 bench/make-history.py "$((half + 1))" "$COMMITS" "$COMMITS" "$TAGS" "$DIR/marks" |
        git -C "$REPO" fast-import --quiet --import-marks="$DIR/marks"
    # One pack, like a fresh clone.
    git -C "$REPO" -c gc.auto=0 repack -q -a -d
    git -C "$REPO" checkout -q main
fi

cargo build --release -q -p multiplier
BIN=${CARGO_TARGET_DIR:-target}/release/multiplier

# Warm the page cache once for both tools.
git -C "$REPO" log --format='%H %at %ct %P %s' > /dev/null
"$BIN" metrics git "$REPO" --deploy-tags 'v*' --format json > /dev/null

measure() { # label, command...
    local label=$1; shift
    local walls=() peak=0
    for _ in $(seq "$RUNS"); do
        local stats
        stats=$( { /usr/bin/time -f '%e %M' "$@" > /dev/null; } 2>&1 | tail -n 1 )
        walls+=("${stats% *}")
        local kb=${stats#* }
        [ "$kb" -gt "$peak" ] && peak=$kb
    done
    local median
    median=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
    printf '%-18s runs: %s   median %ss   peak RSS %s MB\n' "$label" "${walls[*]}" "$median" "$((peak / 1024))" >&2
    echo "$median $peak"
}

read -r git_median git_peak < <(measure "git log" git -C "$REPO" log --format='%H %at %ct %P %s')
read -r m_median m_peak < <(measure "multiplier" "$BIN" metrics git "$REPO" --deploy-tags 'v*' --format json)
# A window over the last WINDOW_DAYS days of the history (make-history.py starts on
# 2024-01-01 and commits every 15 minutes): only the history it needs is read.
WINDOW_DAYS=${WINDOW_DAYS:-90}
since=$(date -u -d "@$((1704067200 + COMMITS * 900 - WINDOW_DAYS * 86400))" +%F)
read -r w_median w_peak < <(measure "multiplier --since" "$BIN" metrics git "$REPO" --deploy-tags 'v*' --since "$since" --format json)
ratio=$(awk -v a="$m_median" -v b="$git_median" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a (git log took under 10 ms)" }')
w_ratio=$(awk -v a="$w_median" -v b="$git_median" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')
echo "commits=$COMMITS tags=$TAGS runs=$RUNS"
echo "git log median ${git_median}s peak $((git_peak / 1024)) MB"
echo "multiplier metrics git median ${m_median}s peak $((m_peak / 1024)) MB"
echo "ratio $ratio (target: at most 1.0, peak memory at most git log's)"
echo "multiplier metrics git --since $since (last $WINDOW_DAYS days) median ${w_median}s peak $((w_peak / 1024)) MB, ratio $w_ratio"
