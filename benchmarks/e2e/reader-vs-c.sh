#!/usr/bin/env bash
# Systemd.Journal's span path against the same loop in C over libsystemd, in one invocation:
# builds a journal of a fixed shape (TestCorpus through systemd-journal-remote, kept in /var/tmp for
# later runs), compiles reader-loop.c, warms the page cache, then runs C and .NET interleaved,
# RUNS times each, and prints the medians, the ratio .NET/C and .NET's allocated bytes per entry.
#
#   benchmarks/e2e/reader-vs-c.sh [ENTRIES=1000000] [FILES=9] [RUNS=3]
#   JOURNAL_DIR=/some/dir benchmarks/e2e/reader-vs-c.sh     # another place for the journal
#
# Needs the .NET SDK, gcc, systemd-journal-remote and libsystemd-dev (installed here when missing
# and running as root). Exits non-zero when a run fails or C and .NET disagree on what they read.
#
# Latest figures (2026-11-25, 2 cores, shared and noisy; 1,000,000 entries in 36 files, 1.3 GB):
#   C over libsystemd               416,650 entries/s (median of 3)
#   .NET Systemd.Journal span path  384,361 entries/s (median of 3)
#   ratio .NET / C                  0.923 (target 0.85); an earlier run the same day: 0.956
#   .NET allocated bytes / entry    0.000
set -euo pipefail

entries=${1:-1000000}
files=${2:-9}
runs=${3:-3}
target=0.85
repo=$(cd "$(dirname "$0")/../.." && pwd)
dir=${JOURNAL_DIR:-/var/tmp/journalpump-bench/e2e-$entries}

if ! pkg-config --exists libsystemd 2>/dev/null; then
    if [ "$(id -u)" != 0 ]; then
        echo "libsystemd-dev is missing: apt-get install -y libsystemd-dev" >&2
        exit 1
    fi
    apt-get install -y -q libsystemd-dev >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q libsystemd-dev >/dev/null; }
fi
if [ ! -x /lib/systemd/systemd-journal-remote ] && [ ! -x /usr/lib/systemd/systemd-journal-remote ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "systemd-journal-remote is missing: apt-get install -y systemd-journal-remote" >&2
        exit 1
    fi
    apt-get install -y -q systemd-journal-remote >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q systemd-journal-remote >/dev/null; }
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== build"
gcc -O2 -Wall -Wextra -o "$work/reader-loop" "$repo/benchmarks/e2e/reader-loop.c" $(pkg-config --cflags --libs libsystemd)
dotnet build "$repo/benchmarks/JournalPump.Benchmarks/JournalPump.Benchmarks.csproj" -c Release -o "$work/bench" -v quiet -nologo >/dev/null
bench=(dotnet "$work/bench/JournalPump.Benchmarks.dll")

echo "== journal: $entries entries, $files export streams, in $dir"
"${bench[@]}" generate "$dir" "$entries" "$files"
echo "$(ls "$dir"/*.journal | wc -l) journal files (systemd-journal-remote rotates at its own size), $(du -sh "$dir" | cut -f1)"

echo "== warm the page cache"
cat "$dir"/*.journal >/dev/null

field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p"; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

: >"$work/c.txt"
: >"$work/dotnet.txt"
echo "== $runs runs each, interleaved"
for i in $(seq 1 "$runs"); do
    "$work/reader-loop" "$dir" | tee -a "$work/c.txt"
    "${bench[@]}" read "$dir" | tee -a "$work/dotnet.txt"
done

c_bytes=$(field bytes <"$work/c.txt" | sort -u)
dotnet_bytes=$(field bytes <"$work/dotnet.txt" | sort -u)
c_entries=$(field entries <"$work/c.txt" | sort -u)
dotnet_entries=$(field entries <"$work/dotnet.txt" | sort -u)
if [ "$c_entries" != "$dotnet_entries" ] || [ "$c_bytes" != "$dotnet_bytes" ] || [ "$(echo "$c_bytes" | wc -l)" != 1 ]; then
    echo "C and .NET read different things: entries $c_entries / $dotnet_entries, bytes $c_bytes / $dotnet_bytes" >&2
    exit 1
fi

c_rate=$(field entries_per_sec <"$work/c.txt" | median)
dotnet_rate=$(field entries_per_sec <"$work/dotnet.txt" | median)
alloc=$(field alloc_bytes_per_entry <"$work/dotnet.txt" | sort -g | tail -1)
ratio=$(awk -v d="$dotnet_rate" -v c="$c_rate" 'BEGIN { printf "%.3f", d / c }')
verdict=$(awk -v r="$ratio" -v t="$target" 'BEGIN { print (r >= t) ? "meets" : "is below" }')

echo "== result ($(date -u +%Y-%m-%d), $(nproc) cores, $entries entries, $c_bytes bytes of NAME=value)"
printf '%-32s %12.0f entries/s (median of %d)\n' "C over libsystemd" "$c_rate" "$runs"
printf '%-32s %12.0f entries/s (median of %d)\n' ".NET Systemd.Journal span path" "$dotnet_rate" "$runs"
printf '%-32s %12s  (%s the %s target)\n' "ratio .NET / C" "$ratio" "$verdict" "$target"
printf '%-32s %12s  (highest of %d runs)\n' ".NET allocated bytes / entry" "$alloc" "$runs"
