#!/usr/bin/env bash
# The main job on its embedded default: pump the local journal into a JSON-lines file with
# config/journalpump.json, in ./journalpump-demo (or $JOURNALPUMP_DEMO_DIR).
#
# When the local journal has no entries (containers and build machines often run no journald), it
# says so and pumps a sample journal instead, built from config/sample.export with
# systemd-journal-remote, then stops and shows what it wrote.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
demo=${JOURNALPUMP_DEMO_DIR:-$PWD/journalpump-demo}
remote=$(ls /lib/systemd/systemd-journal-remote /usr/lib/systemd/systemd-journal-remote 2>/dev/null | head -1 || true)

if [ -z "$remote" ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "systemd-journal-remote is missing: run as root, or apt-get install systemd-journal-remote" >&2
        exit 1
    fi
    echo "installing systemd-journal-remote"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends systemd-journal-remote >/dev/null
    remote=$(ls /lib/systemd/systemd-journal-remote /usr/lib/systemd/systemd-journal-remote | head -1)
fi

echo "building journalpump"
dotnet build "$repo/src/JournalPump.Host" -c Release -v quiet -nologo >/dev/null
journalpump=(dotnet "$repo/src/JournalPump.Host/bin/Release/net10.0/journalpump.dll")
mkdir -p "$demo"
cd "$demo"

if [ -n "$(journalctl --quiet --no-pager -n 1 -o cat 2>/dev/null)" ]; then
    echo "Pumping the local journal into $demo/journalpump-output.jsonl with $repo/config/journalpump.json"
    echo "(state in $demo/journalpump-state.json: stop with Ctrl-C, and a restart resumes where it stopped)."
    exec "${journalpump[@]}" "$repo/config/journalpump.json"
fi

sample=/var/tmp/journalpump-sample
echo "The local journal has no entries (no journald runs here), so this run pumps a sample journal instead:"
echo "  $sample/journal, built from config/sample.export by systemd-journal-remote."
rm -rf "$sample" && mkdir -p "$sample/journal"
"$remote" --split-mode=none --output="$sample/journal/sample.journal" - < "$repo/config/sample.export" 2>/dev/null
expected=$(grep -c '^__REALTIME_TIMESTAMP=' "$repo/config/sample.export")
sed -e "s|\"initial_position\": \"head\",|\"initial_position\": \"head\",\n            \"journal_path\": \"$sample/journal\",|" \
    "$repo/config/journalpump.json" > "$demo/sample-config.json"
rm -f journalpump-output.jsonl journalpump-state.json

"${journalpump[@]}" "$demo/sample-config.json" 2> journalpump.log &
pid=$!
for _ in $(seq 1 300); do
    [ -f journalpump-output.jsonl ] && [ "$(wc -l < journalpump-output.jsonl)" -ge "$expected" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
kill -TERM "$pid" 2>/dev/null || true
status=0
wait "$pid" || status=$?
lines=$(wc -l < journalpump-output.jsonl 2>/dev/null || echo 0)
if [ "$status" -ne 0 ] || [ "$lines" -ne "$expected" ]; then
    echo "journalpump failed (exit $status, $lines of $expected entries written); its log:" >&2
    cat journalpump.log >&2
    exit 1
fi
echo
echo "journalpump shipped all $lines sample entries to $demo/journalpump-output.jsonl, for example:"
head -2 journalpump-output.jsonl | cut -c1-300
echo
echo "It stopped on SIGTERM and recorded each sender's position in $demo/journalpump-state.json;"
echo "its log is in $demo/journalpump.log. On a machine whose journal has entries, the same command"
echo "pumps the local journal and keeps following it."
