#!/usr/bin/env bash
# Brings a project's PublicAPI.Unshipped.txt in line with its code: adds every public symbol that the
# build reports as undeclared (RS0016) and removes every declared symbol that no longer exists (RS0017).
# Usage: build/update-public-api.sh src/<Project>
set -euo pipefail
project=${1:?usage: $0 src/<Project>}
unshipped="$project/PublicAPI.Unshipped.txt"
log=$(mktemp)
trap 'rm -f "$log" "$log".*' EXIT
dotnet build "$project" --no-incremental 2>&1 | sed "s/&lt;/</g; s/&gt;/>/g" > "$log" || true
grep -oP "error RS0016: Symbol '\K.*(?=' is not part of the declared public API)" "$log" | sort -u > "$log.add" || true
grep -oP "error RS0017: Symbol '\K.*(?=' is part of the declared API, but is either not public or could not be found)" "$log" | sort -u > "$log.remove" || true
grep -v '^#nullable enable$' "$unshipped" | grep -vxF -f "$log.remove" > "$log.keep" || true
{ echo '#nullable enable'; sort -u "$log.keep" "$log.add"; } > "$unshipped"
echo "$(wc -l < "$log.add") symbols added to and $(wc -l < "$log.remove") removed from $unshipped"
