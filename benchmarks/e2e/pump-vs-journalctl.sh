#!/usr/bin/env bash
# The journalpump daemon (a file sender) against `journalctl -o json`, end to end, on the same journal:
# builds the 1,000,000-entry benchmark journal once (TestCorpus through systemd-journal-remote, kept in
# /var/tmp), builds the host in Release, warms the page cache, then runs the two interleaved, RUNS
# times each, and prints the medians of entries/s, CPU seconds, CPU per entry, peak RSS and peak
# anonymous memory, the host's start-up time, and the ratio journalpump / journalctl.
#
#   benchmarks/e2e/pump-vs-journalctl.sh [ENTRIES=1000000] [FILES=9] [RUNS=3]
#   JOURNAL_DIR=/some/dir benchmarks/e2e/pump-vs-journalctl.sh      # another place for the journal
#   AOT=1 benchmarks/e2e/pump-vs-journalctl.sh                      # also the NativeAOT build (needs clang, zlib1g-dev)
#
# A run counts only when its output is complete and correct: journalctl's and the host's output must
# have exactly ENTRIES lines; every line of the host's output must parse as a JSON object (checked on
# the first run), and every host run (JIT and AOT) must write the same bytes (same sha256). The
# process exits non-zero otherwise. Measuring is done by e2e/measure.py (see there); the build, the
# journal and the page cache warm-up by e2e/daemon-common.sh, shared with pump-to-kafka.sh.
#
# Latest figures (2026-11-25 18:39 UTC, 2 cores, shared, load 1.5-2.1; 1,000,000 entries, medians of 3):
#                     entries/s   CPU s   CPU/entry   peak RSS   peak anon   start-up
#   journalctl -o json   25,751   38.7    38.7 us     358 MB      1 MB
#   journalpump (JIT)   169,031    9.27    9.3 us     421 MB     27 MB      0.178 s
#   journalpump (AOT)   136,097   11.7    11.7 us     380 MB     19 MB      0.014 s
#   ratio JIT / journalctl: 6.56x the entries/s, 0.24x the CPU per entry (earlier run, load 2.2-5.4: 6.03x)
set -euo pipefail

entries=${1:-1000000}
files=${2:-9}
runs=${3:-3}
repo=$(cd "$(dirname "$0")/../.." && pwd)
dir=${JOURNAL_DIR:-/var/tmp/journalpump-bench/e2e-$entries}
aot=${AOT:-0}

. "$repo/benchmarks/e2e/daemon-common.sh"
need_journal_tools
if [ "$aot" = 1 ]; then
    need clang clang
    [ -e /usr/include/zlib.h ] || need /usr/include/zlib.h zlib1g-dev
fi

# Under /var/tmp, not /tmp: the outputs are about a gigabyte each.
work=$(mktemp -d /var/tmp/jp-e2e.XXXXXX)
trap 'rm -rf "$work"' EXIT

echo "== build"
build_bench_and_host
variants=(journalctl jit)
if [ "$aot" = 1 ]; then
    dotnet publish "$repo/src/JournalPump.Host/JournalPump.Host.csproj" -c Release -r linux-x64 -p:PublishAot=true -o "$work/aot" -v quiet -nologo >/dev/null
    variants+=(aot)
fi

prepare_journal

run_host() { # run_host <variant> <run>
    local state="$work/state.json" out="$work/pump.jsonl"
    rm -f "$state" "$out"
    cat >"$work/pump.json" <<EOF
{
  "json_state_file_path": "$state",
  "readers": {
    "bench": {
      "journal_path": "$dir",
      "initial_position": "head",
      "senders": { "out": { "output_type": "file", "file_output": "$out" } }
    }
  }
}
EOF
    local cmd=(dotnet "$work/host/journalpump.dll")
    [ "$1" = aot ] && cmd=("$work/aot/journalpump")
    measure --expect "$entries" --output "$out" --ready started --stop --stderr "$work/$1-$2.stderr" -- "${cmd[@]}" "$work/pump.json" \
        | tee -a "$work/$1.txt" || { echo "journalpump ($1) run $2 failed; its stderr:" >&2; tail -20 "$work/$1-$2.stderr" >&2; exit 1; }
    local sum
    sum=$(sha256sum <"$out" | cut -d' ' -f1)
    echo "$sum" >>"$work/sha256.txt"
    if [ ! -e "$work/json-checked" ]; then
        python3 -c '
import json, sys
n = 0
with open(sys.argv[1], "rb") as f:
    for line in f:
        if not isinstance(json.loads(line), dict):
            sys.exit(f"line {n + 1} is not a JSON object")
        n += 1
print(f"   {n} lines, each a JSON object; sha256 {sys.argv[2]}")
' "$out" "$sum"
        touch "$work/json-checked"
    fi
    rm -f "$out"
}

run_journalctl() { # run_journalctl <run>
    measure --expect "$entries" --output "$work/journalctl.json" --stdout-to-output -- journalctl -D "$dir" -o json \
        | tee -a "$work/journalctl.txt" || { echo "journalctl run $1 failed" >&2; exit 1; }
    rm -f "$work/journalctl.json"
}

echo "== $runs runs each, interleaved (${variants[*]})"
for i in $(seq 1 "$runs"); do
    run_journalctl "$i"
    run_host jit "$i"
    [ "$aot" = 1 ] && run_host aot "$i"
done

if [ "$(sort -u "$work/sha256.txt" | wc -l)" != 1 ]; then
    echo "the host runs wrote different output:" >&2
    cat "$work/sha256.txt" >&2
    exit 1
fi

echo "== result ($(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) cores, $entries entries, medians of $runs; load average $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-12s %12s %14s %10s %8s %12s %12s %12s %8s\n' "" "entries/s" "after start-up" "CPU s" "µs CPU/e" "peak RSS MB" "peak anon MB" "start-up s" "load1"
for v in "${variants[@]}"; do
    f="$work/$v.txt"
    printf '%-12s %12.0f %14s %10.2f %8.2f %12.0f %12.0f %12s %8s\n' "$v" \
        "$(field entries_per_sec <"$f" | median)" "$( [ "$v" = journalctl ] && echo - || field entries_per_sec_after_start <"$f" | median)" "$(field cpu_s <"$f" | median)" "$(field cpu_us_per_entry <"$f" | median)" \
        "$(field peak_rss_kb <"$f" | median | awk '{ print $1 / 1024 }')" "$(field peak_anon_kb <"$f" | median | awk '{ print $1 / 1024 }')" \
        "$( [ "$v" = journalctl ] && echo - || field startup_s <"$f" | median)" "$(field load1 <"$f" | median)"
done
j=$(field entries_per_sec <"$work/journalctl.txt" | median)
jc=$(field cpu_us_per_entry <"$work/journalctl.txt" | median)
for v in "${variants[@]:1}"; do
    p=$(field entries_per_sec <"$work/$v.txt" | median)
    pc=$(field cpu_us_per_entry <"$work/$v.txt" | median)
    awk -v p="$p" -v j="$j" -v pc="$pc" -v jc="$jc" -v v="$v" \
        'BEGIN { printf "ratio journalpump (%s) / journalctl: %.2fx the entries/s, %.2fx the CPU per entry\n", v, p / j, pc / jc }'
done
echo "output checked: $entries lines in every run; host output a JSON object per line, sha256 $(head -1 "$work/sha256.txt") in every host run"
