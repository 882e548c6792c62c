#!/usr/bin/env bash
# Runs every suite of benchmarks/LlmCache.Benchmarks with BenchmarkDotNet's JSON exporter, then writes
# docs/benchmarks.md and docs/benchmarks/*.svg from the results. Extra arguments go to BenchmarkDotNet
# (for a quick look: benchmarks/run-all.sh --job short). FILTER narrows the suites (FILTER='*Scaling*').
set -euo pipefail
cd "$(dirname "$0")/.."
artifacts="${ARTIFACTS:-BenchmarkDotNet.Artifacts}"
rm -rf "$artifacts/results"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
started="$(date -u '+%Y-%m-%d %H:%M UTC')"
# The build BenchmarkDotNet makes of the project takes over its default 120 s on a busy 2-core machine.
dotnet run -c Release --project benchmarks/LlmCache.Benchmarks -- --filter "${FILTER:-*}" --exporters json --buildTimeout 1200 --artifacts "$artifacts" "$@"
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
python3 benchmarks/report.py --results "$artifacts/results" \
  --conditions "${CONDITIONS:-run started $started; load average (1, 5, 15 min) $load_before before, $load_after after}" \
  --command "benchmarks/run-all.sh${*:+ $*}"
