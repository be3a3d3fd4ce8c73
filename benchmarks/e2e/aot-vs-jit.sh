#!/usr/bin/env bash
# The NativeAOT build of the journalpump daemon against the JIT build: start-up time to READY=1
# (sd_notify, on a NOTIFY_SOCKET this script listens on) and to the "started" log line, and the idle
# memory once the journal is shipped, on a small golden case; and the output of both, byte for byte,
# against the case's expected.jsonl (what the Python journalpump wrote).
#
#   benchmarks/e2e/aot-vs-jit.sh [GOLDEN_CASE_DIR=/work/shared/golden/plain-entries] [RUNS=5]
#
# Needs the .NET SDK, clang and zlib1g-dev (NativeAOT's linker and libz; installed here when missing
# and running as root) and systemd-journal-remote. Exits non-zero when AOT publishing fails, a run
# fails, or an output differs from expected.jsonl.
#
# Latest figures (2026-11-25 20:56 UTC, 2 cores, shared, load 1.3-1.7; plain-entries, medians of 5;
# the binary now holds Confluent.Kafka whole, 7.9 MB):
#   JIT        READY=1 0.151 s, "started" 0.169 s, idle RSS 48.6 MB, idle anonymous 6.6 MB
#   NativeAOT  READY=1 0.013 s, "started" 0.013 s, idle RSS 14.7 MB, idle anonymous 5.2 MB
# (18:34, before the Kafka client: NativeAOT idle RSS 12.3 MB, 5.6 MB binary.)
#   output identical to expected.jsonl for both; publishing gives no warning
set -euo pipefail

case_dir=${1:-/work/shared/golden/plain-entries}
runs=${2:-5}
repo=$(cd "$(dirname "$0")/../.." && pwd)

need() { # need <command-or-path> <debian package>
    if ! command -v "$1" >/dev/null 2>&1 && [ ! -e "$1" ]; then
        if [ "$(id -u)" != 0 ]; then
            echo "$2 is missing: apt-get install -y $2" >&2
            exit 1
        fi
        apt-get install -y -q "$2" >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q "$2" >/dev/null; }
    fi
}
need clang clang
need /usr/include/zlib.h zlib1g-dev
need python3 python3
remote=/lib/systemd/systemd-journal-remote
[ -x "$remote" ] || remote=/usr/lib/systemd/systemd-journal-remote
need "$remote" systemd-journal-remote

# Under /var/tmp: libsystemd reads nothing for a journal under /tmp (see the golden README).
work=$(mktemp -d /var/tmp/jp-aot.XXXXXX)
trap 'rm -rf "$work"' EXIT

echo "== build (JIT) and publish (NativeAOT)"
dotnet build "$repo/src/JournalPump.Host/JournalPump.Host.csproj" -c Release -o "$work/jit" -v quiet -nologo >/dev/null
if ! dotnet publish "$repo/src/JournalPump.Host/JournalPump.Host.csproj" -c Release -r linux-x64 -p:PublishAot=true -o "$work/aot" -nologo >"$work/publish.log" 2>&1; then
    grep -E 'error|warning' "$work/publish.log" | sort -u >&2 || tail -40 "$work/publish.log" >&2
    echo "NativeAOT publish failed" >&2
    exit 1
fi
grep -E ' warning ' "$work/publish.log" | sort -u || true
echo "native binary: $(du -h "$work/aot/journalpump" | cut -f1)"

mkdir "$work/journal"
"$remote" --split-mode=none --output="$work/journal/golden.journal" - <"$case_dir/input.export"
expect=$(wc -l <"$case_dir/expected.jsonl")

run() { # run <variant> <run>
    local out="$work/$1-$2.jsonl"
    sed -e "s|@JOURNAL_DIR@|$work/journal|" -e "s|@OUTPUT@|$out|" -e "s|@STATE@|$work/state-$1-$2.json|" \
        "$case_dir/config.json" >"$work/config-$1-$2.json"
    : >"$out"
    local cmd=(dotnet "$work/jit/journalpump.dll")
    [ "$1" = aot ] && cmd=("$work/aot/journalpump")
    python3 "$repo/benchmarks/e2e/startup.py" --output "$out" --expect "$expect" -- "${cmd[@]}" "$work/config-$1-$2.json" | tee -a "$work/$1.txt"
    if ! cmp -s "$out" "$case_dir/expected.jsonl"; then
        echo "$1 run $2: the output differs from $case_dir/expected.jsonl" >&2
        diff <(head -c 2000 "$out") <(head -c 2000 "$case_dir/expected.jsonl") >&2 || true
        exit 1
    fi
}

echo "== $runs runs each, interleaved, golden case $(basename "$case_dir") ($expect entries)"
for i in $(seq 1 "$runs"); do
    run jit "$i"
    run aot "$i"
done

field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p"; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "== result ($(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) cores, medians of $runs; load average $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-6s %12s %14s %14s %15s\n' "" "READY=1 s" "\"started\" s" "idle RSS MB" "idle anon MB"
for v in jit aot; do
    printf '%-6s %12s %14s %14.1f %15.1f\n' "$v" "$(field ready_s <"$work/$v.txt" | median)" "$(field started_s <"$work/$v.txt" | median)" \
        "$(field idle_rss_kb <"$work/$v.txt" | median | awk '{ print $1 / 1024 }')" "$(field idle_anon_kb <"$work/$v.txt" | median | awk '{ print $1 / 1024 }')"
done
echo "output: byte for byte expected.jsonl in every run, JIT and AOT"
