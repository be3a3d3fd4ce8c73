#!/usr/bin/env bash
# Runs every test project of the solution and prints one closing line "N passed, N failed[, N skipped]".
# On a fresh Debian/Ubuntu machine run it as root: it installs the system packages the tests use
# (systemd-journal-remote builds real journal files; systemd-journald runs standalone for follow tests;
# kcat reads Kafka topics out of process; stunnel4 and openssl put TLS with client certificates in front
# of the mock Kafka cluster).
# Exit status: non-zero when a test failed, when the build failed or when no test ran.
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

packages=(systemd systemd-journal-remote libsystemd0 kcat stunnel4 openssl)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing system packages: ${missing[*]}; run this script as root or install them" >&2
    exit 1
  fi
  echo "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

results=artifacts/test-results
rm -rf "$results"
mkdir -p "$results"

dotnet restore JournalPump.sln
dotnet build JournalPump.sln -c Release --no-restore

status=0
dotnet test JournalPump.sln -c Release --no-build --results-directory "$results" \
  --logger "trx" --logger "console;verbosity=normal" -- NUnit.NumberOfTestWorkers=2 || status=$?

passed=0 failed=0 skipped=0 files=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get notExecuted) + $(get inconclusive)))
done

line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"

if [ "$files" -eq 0 ] || [ $((passed + failed)) -eq 0 ]; then
  echo "no test ran" >&2
  exit 1
fi
if [ "$failed" -gt 0 ] || [ "$status" -ne 0 ]; then
  exit 1
fi
