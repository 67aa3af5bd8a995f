#!/usr/bin/env bash
# The text analyses on maximal input, and the server's responsiveness meanwhile.
#
# 1. Times `multiplier jd lint` on two BYTES-long job descriptions — "prose"
#    (paragraphs, bullets and a heading now and then, like a real one) and
#    "headings" (every line a short heading: the slowest shape found so far) — and
#    `multiplier answers analyze` on answers whose texts add up to BYTES, through
#    the release binary (wall and CPU seconds; each stopped after LIMIT_SECONDS).
# 2. Starts `multiplier serve --demo`, sends four `POST /api/v1/jd/lint` of the
#    same job description at once (each as large as the input cap allows), and
#    meanwhile asks GET /healthz every 100 ms for HEALTH_SECONDS, printing the
#    latencies (min, median, 95th percentile, max) and how many exceeded 50 ms.
#
#   bench/analysis.sh                      # 2 MB (2,000,000 bytes)
#   BYTES=200000 bench/analysis.sh         # smaller inputs
#   LIMIT_SECONDS=120 HEALTH_SECONDS=10 bench/analysis.sh
#   SKIP_CLI=1 bench/analysis.sh           # the server part only
#
# Needs python3 and curl. Every request goes to 127.0.0.1; the server and any
# command still running are stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
BYTES=${BYTES:-2000000}
LIMIT=${LIMIT_SECONDS:-600}
HEALTH_SECONDS=${HEALTH_SECONDS:-20}
DIR=$(mktemp -d)
SERVER=""
cleanup() {
    if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
    jobs -p | while read -r pid; do kill "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

cargo build --release -q -p multiplier
BIN=${CARGO_TARGET_DIR:-target}/release/multiplier

python3 - "$DIR" "$BYTES" <<'PY'
import json, sys
out, size = sys.argv[1], int(sys.argv[2])
# Prose that exercises every lint rule: headings, requirements, coded words.
jd_parts = [
    "## About the role\n",
    "We are looking for a rockstar Tech Lead who will dominate our payments platform.\n",
    "You will mentor engineers, review code with care and support a collaborative team.\n",
    "- 10+ years of experience with Rust, Go and Kubernetes\n",
    "- Strong communication skills and a competitive, aggressive drive\n",
    "Our team deploys twice a week and owns its incidents end to end.\n",
]
jd, i = [], 0
while sum(map(len, jd)) < size:
    jd.append(jd_parts[i % len(jd_parts)]); i += 1
text = "".join(jd)[:size]
open(f"{out}/jd.md", "w").write(text)
json.dump({"text": text}, open(f"{out}/lint.json", "w"))
heads = ["## Payments\n", "## About you\n", "## The team\n", "## Rockstar wanted\n"]
h, k = [], 0
while sum(map(len, h)) < size:
    h.append(heads[k % len(heads)]); k += 1
open(f"{out}/jd-headings.md", "w").write("".join(h)[:size])
sentences = [
    "Microservices are always the right answer for a team like ours. ",
    "We decided to move billing out because the monolith was slow. ",
    "I never let juniors touch the deploy pipeline. ",
    "Next time I would write the alternatives down before the meeting. ",
]
half = size // 2
def answer(n):
    s, k = [], 0
    while sum(map(len, s)) < n:
        s.append(sentences[k % len(sentences)]); k += 1
    return "".join(s)[:n]
json.dump({"answers": [
    {"question": "architecture-decision", "text": answer(half)},
    {"question": "sprint-risk", "text": answer(size - half)},
]}, open(f"{out}/answers.json", "w"))
PY

echo "machine: $(nproc) cores; input: $BYTES bytes; release build; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
TIMEFORMAT='%R %U'
measure() {
    local label=$1; shift
    local t status=0
    t=$( { time timeout "$LIMIT" "$@" >/dev/null 2>&1; } 2>&1 ) || status=$?
    read -r wall cpu <<<"$(echo "$t" | tail -1)"
    if [ "$status" = 124 ]; then
        printf '%-22s stopped after %s s (wall %s s, cpu %s s)\n' "$label" "$LIMIT" "$wall" "$cpu"
    else
        printf '%-22s wall %7.2f s   cpu %7.2f s   exit %s\n' "$label" "$wall" "$cpu" "$status"
    fi
}
if [ -z "${SKIP_CLI:-}" ]; then
    measure "jd lint (prose)" "$BIN" jd lint "$DIR/jd.md" --format json
    measure "jd lint (headings)" "$BIN" jd lint "$DIR/jd-headings.md" --format json
    measure "answers analyze" "$BIN" answers analyze "$DIR/answers.json" --format json
    echo
fi

# The server, four maximal analyses, and /healthz meanwhile.
"$BIN" serve --demo --addr 127.0.0.1:0 --db "$DIR/bench.db" 2>"$DIR/serve.log" &
SERVER=$!
for _ in $(seq 1 100); do
    grep -q "serving on" "$DIR/serve.log" && break
    sleep 0.1
done
BASE=$(grep -o 'http://127.0.0.1:[0-9]*' "$DIR/serve.log" | head -1)
PASSWORD=$(sed -n 's/.*with the password: //p' "$DIR/serve.log" | head -1)
JAR="$DIR/cookies"
TOKEN=$(curl -s -c "$JAR" -b "$JAR" -D - -o /dev/null "$BASE/api/v1/session" | tr -d '\r' | sed -n 's/^x-csrf-token: //p')
TOKEN=$(curl -s -c "$JAR" -b "$JAR" -D - -o /dev/null -H "x-csrf-token: $TOKEN" \
    -H 'content-type: application/json' \
    -d "{\"name\":\"priya\",\"password\":\"$PASSWORD\"}" "$BASE/api/v1/session" | tr -d '\r' | sed -n 's/^x-csrf-token: //p')
for n in 1 2 3 4; do
    curl -s -b "$JAR" -o /dev/null -w "analysis $n: HTTP %{http_code} after %{time_total} s\n" \
        --max-time 120 -H "x-csrf-token: $TOKEN" -H 'content-type: application/json' \
        --data-binary "@$DIR/lint.json" "$BASE/api/v1/jd/lint" >"$DIR/analysis-$n.txt" &
done
sleep 1
: >"$DIR/health.txt"
end=$(( $(date +%s) + HEALTH_SECONDS ))
while [ "$(date +%s)" -lt "$end" ]; do
    curl -s -o /dev/null -w '%{http_code} %{time_total}\n' --max-time 5 "$BASE/healthz" >>"$DIR/health.txt" || echo "000 5" >>"$DIR/health.txt"
    sleep 0.1
done
python3 - "$DIR/health.txt" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
ok = [float(t) * 1000 for code, t in rows if code == "200"]
ok.sort()
def pct(p):
    return ok[min(len(ok) - 1, int(round(p / 100 * (len(ok) - 1))))]
print(f"/healthz while four maximal analyses run: {len(rows)} requests, {len(ok)} answered 200")
if ok:
    print(f"  latency ms: min {ok[0]:.1f}  median {pct(50):.1f}  p95 {pct(95):.1f}  max {ok[-1]:.1f}")
    print(f"  over 50 ms: {sum(1 for t in ok if t > 50)}")
PY
wait $(jobs -p | grep -v "^$SERVER\$") 2>/dev/null || true
cat "$DIR"/analysis-*.txt
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
