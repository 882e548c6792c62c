#!/usr/bin/env bash
# Installs one npm test server (s3rver or azurite) into .tools/NAME from tests/servers/NAME, whose package-lock.json
# fixes every package in its tree. Unlocked, `npm install` resolves each dependency range to the newest version on the
# day, which the registry copy may not hold yet or which may need a newer Node.js; one such day failed CI in 16 s.
# Does nothing when .tools/NAME already holds the locked tree; retries npm twice (the registry can drop a request)
# and prints npm's own error when it still fails.
set -euo pipefail
cd "$(dirname "$0")/../.."

name="${1:?usage: tests/servers/install.sh s3rver|azurite}"
source_dir="tests/servers/$name"
target=".tools/$name"
[ -f "$source_dir/package-lock.json" ] || { echo "tests/servers/install.sh: no $source_dir/package-lock.json" >&2; exit 2; }

if cmp -s "$source_dir/package-lock.json" "$target/package-lock.json" && [ -f "$target/node_modules/$name/package.json" ]; then
  exit 0
fi

version="$(sed -n "s/.*\"$name\": \"\([^\"]*\)\".*/\1/p" "$source_dir/package.json")"
echo "tests/servers/install.sh: installing $name $version (npm ci, locked in $source_dir/package-lock.json) into $target"
rm -rf "$target"
mkdir -p "$target"
cp "$source_dir/package.json" "$source_dir/package-lock.json" "$target/"
for attempt in 1 2 3; do
  if npm ci --no-audit --no-fund --prefix "$target" >"$target/npm.log" 2>&1; then
    exit 0
  fi
  # npm names the cause in its first error lines; after them it may print its whole usage text.
  echo "tests/servers/install.sh: npm ci for $name failed (attempt $attempt of 3):" >&2
  grep -m 12 '^npm error' "$target/npm.log" >&2 || tail -n 25 "$target/npm.log" >&2
  [ "$attempt" -lt 3 ] && sleep $((attempt * 10))
done
exit 1
