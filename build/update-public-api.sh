#!/usr/bin/env bash
# Adds every public symbol that the build reports as undeclared (RS0016) to the project's
# PublicAPI.Unshipped.txt. Usage: build/update-public-api.sh src/<Project>
set -euo pipefail
project=${1:?usage: $0 src/<Project>}
unshipped="$project/PublicAPI.Unshipped.txt"
log=$(mktemp)
dotnet build "$project" --no-incremental 2>&1 | tee "$log" >/dev/null || true
grep -oP "error RS0016: Symbol '\K.*(?=' is not part of the declared public API)" "$log" \
  | sed "s/&lt;/</g; s/&gt;/>/g" | sort -u > "$log.new" || true
{ cat "$unshipped"; cat "$log.new"; } | grep -v '^#nullable enable$' | sort -u > "$log.all"
{ echo '#nullable enable'; cat "$log.all"; } > "$unshipped"
echo "$(wc -l < "$log.new") symbols added to $unshipped"
rm -f "$log" "$log.new" "$log.all"
