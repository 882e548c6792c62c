#!/usr/bin/env bash
# Installs what the tests need (redis-server, clang for the Native AOT test, node, python3, the s3rver S3 test
# server and the azurite Azure Blob Storage emulator),
# then runs every test.
# Under CI=true a server that is still missing makes its tests fail; they never skip silently.
set -euo pipefail
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
  echo "test.sh: installing redis-server (Debian package)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi

if ! command -v clang >/dev/null 2>&1; then
  echo "test.sh: installing clang and zlib1g-dev (the Native AOT publishes in LlmCache.PackageTests and LlmCache.Proxy.Tests)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang zlib1g-dev >/dev/null
fi

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "test.sh: installing nodejs and npm (the s3rver and azurite test servers)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi

if ! command -v python3 >/dev/null 2>&1; then
  echo "test.sh: installing python3 (the checks of benchmarks/report.py)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-minimal >/dev/null
fi

# Each npm test server's whole package tree is locked in tests/servers/NAME/package-lock.json.
tests/servers/install.sh s3rver
tests/servers/install.sh azurite

# Test packages (Roslyn testing reference assemblies) unpack here rather than into the user's profile.
export TMPDIR="${TMPDIR:-/tmp}"

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
dotnet test Generators.sln "$@" 2>&1 | tee "$log" || status=$?
# The script that writes docs/benchmarks.md from the benchmark results, on made-up results.
python3 benchmarks/report_test.py || status=$?

# One closing line over every test project: "N passed, N failed, N skipped".
awk -F'[:,]' '/^(Passed|Failed)! / { for (i = 1; i <= NF; i++) { if ($i ~ /Failed/) f += $(i+1); if ($i ~ /Passed$/) p += $(i+1); if ($i ~ /Skipped/) s += $(i+1) } }
  END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
