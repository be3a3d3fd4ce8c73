# Shared by the daemon's end-to-end scripts (pump-vs-journalctl.sh, pump-to-kafka.sh); sourced, not run.
# The caller sets repo, entries, files, dir (the journal's folder) and work (a scratch folder under
# /var/tmp, removed on exit), then calls:
#
#   need_journal_tools                 journalctl, python3, systemd-journal-remote (installed as root)
#   build_bench_and_host               JournalPump.Benchmarks into $work/bench, the host into $work/host (Release)
#   prepare_journal                    builds the ENTRIES-entry journal in $dir once (kept), warms the page cache
#   measure ARGS...                    e2e/measure.py
#   field NAME <file                   the values of NAME=... in measure.py's lines
#   median <numbers                    their median

need() { # need <command-or-path> <debian package>
    if ! command -v "$1" >/dev/null 2>&1 && [ ! -x "$1" ]; then
        if [ "$(id -u)" != 0 ]; then
            echo "$2 is missing: apt-get install -y $2" >&2
            exit 1
        fi
        apt-get install -y -q "$2" >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q "$2" >/dev/null; }
    fi
}

need_journal_tools() {
    need journalctl systemd
    need python3 python3
    if [ ! -x /lib/systemd/systemd-journal-remote ] && [ ! -x /usr/lib/systemd/systemd-journal-remote ]; then
        need /lib/systemd/systemd-journal-remote systemd-journal-remote
    fi
}

build_bench_and_host() {
    dotnet build "$repo/benchmarks/JournalPump.Benchmarks/JournalPump.Benchmarks.csproj" -c Release -o "$work/bench" -v quiet -nologo >/dev/null
    dotnet build "$repo/src/JournalPump.Host/JournalPump.Host.csproj" -c Release -o "$work/host" -v quiet -nologo >/dev/null
}

prepare_journal() {
    echo "== journal: $entries entries, $files export streams, in $dir"
    dotnet "$work/bench/JournalPump.Benchmarks.dll" generate "$dir" "$entries" "$files"
    echo "$(ls "$dir"/*.journal | wc -l) journal files, $(du -sh "$dir" | cut -f1)"

    echo "== warm the page cache"
    cat "$dir"/*.journal >/dev/null
}

measure() { python3 "$repo/benchmarks/e2e/measure.py" "$@"; }
field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p"; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
