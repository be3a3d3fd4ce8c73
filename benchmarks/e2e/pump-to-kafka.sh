#!/usr/bin/env bash
# The journalpump daemon shipping the 1,000,000-entry benchmark journal to Kafka, end to end: builds
# the benchmark project and the host in Release, builds the journal once (the same one as
# pump-vs-journalctl.sh, kept in /var/tmp) and warms the page cache, starts librdkafka's mock Kafka
# cluster (3 brokers, real Kafka protocol on 127.0.0.1) in a process of its own, then runs the daemon
# with one kafka sender RUNS times per variant, interleaved, each run into a fresh topic, and prints
# the medians of entries/s, CPU seconds, CPU per entry, peak RSS and peak anonymous memory of the
# daemon, its start-up time, and the CPU seconds the mock cluster spent meanwhile.
#
#   benchmarks/e2e/pump-to-kafka.sh [ENTRIES=1000000] [FILES=9] [RUNS=3]
#   VARIANTS=key benchmarks/e2e/pump-to-kafka.sh          # only the keyed sender (default: "key nokey")
#   JOURNAL_DIR=/some/dir benchmarks/e2e/pump-to-kafka.sh  # another place for the journal
#
# Variants: "key" sets kafka_msg_key "bench" (every record on the one partition the key hashes to),
# "nokey" sends without a key (librdkafka spreads batches over the topic's 4 partitions). The topic is
# auto-created by the daemon's producer (4 partitions, replication factor 3).
#
# The clock runs from the start of the daemon to the moment the topic holds ENTRIES records: a watcher
# (`JournalPump.Benchmarks kafka-count --until`, connected before the daemon starts) sums the high
# watermarks of the topic's partitions every 20 ms; measure.py takes the daemon's CPU time then, and
# stops it with SIGTERM. A run counts only when, after the daemon exited 0, the topic holds exactly
# ENTRIES records (the producer is idempotent: a duplicate would show as more) and the state file says
# ENTRIES were sent; the script exits non-zero otherwise. The mock keeps only the last 5 MiB of each
# partition, so the records are counted by their offsets, not read back; their content is the file
# sender's (tests/JournalPump.Host.Tests/EndToEnd/KafkaProcessTests.cs compares them byte for byte).
#
# Latest figures (2026-11-25 20:25 UTC, 2 cores, shared, load 3.1-3.8; 1,000,000 entries, medians of 3;
# more, and where the time goes, in benchmarks/README.md, "Journal → Kafka"):
#            entries/s   CPU s   CPU/entry   peak RSS   peak anon   start-up   mock cluster CPU
#   key        120,312   12.47   12.5 us     471 MB     69 MB       0.356 s    0.18 s
#   no key     127,931   11.73   11.7 us     475 MB     76 MB       0.332 s    0.19 s
#   (the file sender, pump-vs-journalctl.sh right after, load 4.1-5.6: 119,804 entries/s, 8.7 us CPU/entry)
set -euo pipefail

entries=${1:-1000000}
files=${2:-9}
runs=${3:-3}
repo=$(cd "$(dirname "$0")/../.." && pwd)
dir=${JOURNAL_DIR:-/var/tmp/journalpump-bench/e2e-$entries}
read -r -a variants <<<"${VARIANTS:-key nokey}"

. "$repo/benchmarks/e2e/daemon-common.sh"
need_journal_tools

work=$(mktemp -d /var/tmp/jp-kafka.XXXXXX)
mock_pid=
cleanup() {
    exec 3>&-
    if [ -n "$mock_pid" ] && kill -0 "$mock_pid" 2>/dev/null; then
        kill -TERM "$mock_pid" 2>/dev/null || true
        wait "$mock_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

echo "== build"
build_bench_and_host
bench=(dotnet "$work/bench/JournalPump.Benchmarks.dll")

prepare_journal

echo "== mock Kafka cluster (3 brokers)"
# Its stdin is a fifo this shell holds open on fd 3: closing fd 3, or this shell exiting, stops it.
mkfifo "$work/mock.in"
"${bench[@]}" kafka-mock 3 <"$work/mock.in" >"$work/mock.out" 2>"$work/mock.err" &
mock_pid=$!
exec 3>"$work/mock.in"
for _ in $(seq 1 300); do
    [ -s "$work/mock.out" ] && [ "$(wc -l <"$work/mock.out")" -ge 1 ] && break
    kill -0 "$mock_pid" 2>/dev/null || break
    sleep 0.1
done
bootstrap=$(head -1 "$work/mock.out")
if [ -z "$bootstrap" ]; then
    echo "the mock cluster did not start; its stderr:" >&2
    cat "$work/mock.err" >&2
    exit 1
fi
echo "bootstrap servers $bootstrap (pid $mock_pid)"

proc_cpu() { awk '{ print ($14 + $15) / ticks }' ticks="$(getconf CLK_TCK)" "/proc/$1/stat"; } # utime + stime of a pid, in seconds
mock_cpu0=$(proc_cpu "$mock_pid")

state_sent() { # state_sent <state file>: the sent count of every sender, added up
    python3 -c '
import json, sys
state = json.load(open(sys.argv[1]))
print(sum(s["sent"]["count"] for r in state["readers"].values() for s in r["senders"].values()))
' "$1"
}

run_host() { # run_host <variant> <run>
    local variant=$1 run=$2 state="$work/state.json"
    local topic key=
    topic="bench-$variant-$run-$(date +%s%N)"
    [ "$variant" = key ] && key=", \"kafka_msg_key\": \"bench\""
    rm -f "$state"
    cat >"$work/pump.json" <<EOF
{
  "json_state_file_path": "$state",
  "readers": {
    "bench": {
      "journal_path": "$dir",
      "initial_position": "head",
      "senders": { "kafka": { "output_type": "kafka", "kafka_address": "$bootstrap", "kafka_topic": "$topic"${key} } }
    }
  }
}
EOF
    local watcher
    watcher=$(printf '%q ' "${bench[@]}" kafka-count "$bootstrap" "$topic" --until "$entries")
    local line
    line=$(measure --expect "$entries" --until "$watcher" --side-pid "$mock_pid" --ready started --stop --stderr "$work/$variant-$run.stderr" \
        -- dotnet "$work/host/journalpump.dll" "$work/pump.json") \
        || { echo "$line" >&2; echo "journalpump ($variant) run $run failed; its stderr:" >&2; tail -20 "$work/$variant-$run.stderr" >&2; exit 1; }

    # Correctness, after the daemon stopped: exactly ENTRIES records in the topic and in the state file.
    local count sent
    count=$("${bench[@]}" kafka-count "$bootstrap" "$topic")
    sent=$(state_sent "$state")
    echo "$line kafka_count=$count state_sent=$sent" | tee -a "$work/$variant.txt"
    if [ "$count" != "$entries" ] || [ "$sent" != "$entries" ]; then
        echo "journalpump ($variant) run $run: the topic holds $count records and the state file says $sent were sent, not $entries" >&2
        exit 1
    fi
    if grep -q -i -E '\b(warn|fail|error)' "$work/$variant-$run.stderr"; then
        echo "   journalpump logged:" >&2
        grep -i -E '\b(warn|fail|error)' "$work/$variant-$run.stderr" | head -5 >&2
    fi
}

echo "== $runs runs each, interleaved (${variants[*]})"
for i in $(seq 1 "$runs"); do
    for v in "${variants[@]}"; do
        run_host "$v" "$i"
    done
done

mock_cpu=$(awk -v a="$mock_cpu0" -v b="$(proc_cpu "$mock_pid")" 'BEGIN { printf "%.1f", b - a }')
mock_rss=$(awk '/^Rss:/ { printf "%.0f", $2 / 1024 }' "/proc/$mock_pid/smaps_rollup")
exec 3>&-
wait "$mock_pid" || { echo "the mock cluster exited with status $?" >&2; exit 1; }
mock_pid=

echo "== result ($(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) cores, $entries entries, medians of $runs; load average $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-8s %11s %14s %8s %9s %12s %13s %11s %11s %12s %7s\n' "" "entries/s" "after start-up" "CPU s" "µs CPU/e" "peak RSS MB" "peak anon MB" "start-up s" "mock CPU s" "watcher CPU s" "load1"
for v in "${variants[@]}"; do
    f="$work/$v.txt"
    printf '%-8s %11.0f %14.0f %8.2f %9.2f %12.0f %13.0f %11.3f %11.2f %12.2f %7s\n' "$v" \
        "$(field entries_per_sec <"$f" | median)" "$(field entries_per_sec_after_start <"$f" | median)" \
        "$(field cpu_s <"$f" | median)" "$(field cpu_us_per_entry <"$f" | median)" \
        "$(field peak_rss_kb <"$f" | median | awk '{ print $1 / 1024 }')" "$(field peak_anon_kb <"$f" | median | awk '{ print $1 / 1024 }')" \
        "$(field startup_s <"$f" | median)" "$(field side_cpu_s <"$f" | median)" "$(field until_cpu_s <"$f" | median)" "$(field load1 <"$f" | median)"
done
echo "mock cluster: $mock_cpu CPU s over the whole invocation, $mock_rss MB RSS at the end"
echo "checked: every run's topic holds exactly $entries records (sum of high watermarks) and its state file says $entries sent"
