#!/usr/bin/env bash
# The caching proxy's load benchmark (docs/benchmarks/proxy.md): cached chat hits through the Native AOT proxy
# against the floor, a Kestrel endpoint (on the JIT) answering the same bytes, with wrk in one run.
# Usage: benchmarks/ProxyFloor/run.sh [seconds] [connections]   (needs wrk: apt-get install -y wrk)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-20}"
connections="${2:-32}"
out="artifacts/proxy-bench"
mkdir -p "$out"

command -v wrk >/dev/null || { echo "run.sh: wrk is missing (Debian: apt-get install -y wrk)" >&2; exit 1; }
[ -x "$out/proxy/CachingProxy" ] || dotnet publish samples/CachingProxy -c Release -r linux-x64 -o "$out/proxy" >"$out/publish-proxy.log"
[ -f "$out/floor/ProxyFloor.dll" ] || dotnet build benchmarks/ProxyFloor -c Release -o "$out/floor" >"$out/build-floor.log"

floor_port=47101
proxy_port=47102
dotnet "$out/floor/ProxyFloor.dll" "$floor_port" benchmarks/ProxyFloor/answer.json >"$out/floor.log" 2>&1 &
floor=$!
OPENAI_BASE_URL="http://127.0.0.1:$floor_port/v1" "$out/proxy/CachingProxy" --port "$proxy_port" >"$out/proxy.log" 2>&1 &
proxy=$!
trap 'kill "$floor" "$proxy" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -sf -o /dev/null -X POST "http://127.0.0.1:$floor_port/v1/chat/completions" && curl -sf -o /dev/null "http://127.0.0.1:$proxy_port/health" && break
  sleep 0.1
done

body='{"model": "gpt-3.5-turbo", "messages": [{"role": "user", "content": "write a poem about litellm!"}], "temperature": 0.7}'
curl -sf -X POST -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$proxy_port/v1/chat/completions" >/dev/null
hit="$(curl -sf -D "$out/hit-headers.txt" -X POST -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$proxy_port/v1/chat/completions")"
grep -qi '^x-llmcache: hit' "$out/hit-headers.txt" || { echo "run.sh: the proxy's second answer was not a hit" >&2; exit 1; }
[ "$hit" = "$(cat benchmarks/ProxyFloor/answer.json | tr -d '\n')" ] || { echo "run.sh: the hit's bytes differ from the floor's" >&2; exit 1; }

run() { wrk -t2 -c"$connections" -d"${seconds}s" --latency -s benchmarks/ProxyFloor/post.lua "$1" >"$out/$2.txt"; }
# Warm both (JIT-free, but connection pools and caches), then measure each in turn.
wrk -t1 -c4 -d3s -s benchmarks/ProxyFloor/post.lua "http://127.0.0.1:$floor_port/v1/chat/completions" >/dev/null
wrk -t1 -c4 -d3s -s benchmarks/ProxyFloor/post.lua "http://127.0.0.1:$proxy_port/v1/chat/completions" >/dev/null
run "http://127.0.0.1:$floor_port/v1/chat/completions" floor
run "http://127.0.0.1:$proxy_port/v1/chat/completions" proxy

rps() { awk '/^Requests\/sec/ { print $2 }' "$out/$1.txt"; }
p() { awk -v q="$2" '$1 == q { print $2 }' "$out/$1.txt"; }
printf '| | Requests/s | p50 | p99 |\n|---|---:|---:|---:|\n'
printf '| Floor (Kestrel: reads the body, answers fixed bytes) | %s | %s | %s |\n' "$(rps floor)" "$(p floor 50%)" "$(p floor 99%)"
printf '| Proxy, cached hit | %s | %s | %s |\n' "$(rps proxy)" "$(p proxy 50%)" "$(p proxy 99%)"
awk -v a="$(rps proxy)" -v b="$(rps floor)" 'BEGIN { printf "Proxy / floor: %.0f%%\n", 100 * a / b }'
# The machine's load during the runs: the ratio is only comparable between runs at a similar load.
printf 'Load average (1, 5, 15 min): %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
