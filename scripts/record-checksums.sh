#!/usr/bin/env bash
# record-checksums.sh SHA256SUMS CHECKSUMS: adds the lines of a release's
# SHA256SUMS to the action's recorded checksums
# (.github/actions/drift-check/checksums.txt), replacing lines of the same
# archives and keeping the others, sorted by archive name. The release
# workflow commits the result, so that a commit of the action pins the
# binaries of every release it knows.
set -euo pipefail
new=${1:?SHA256SUMS of the release}
file=${2:?the checksums file of the action}
touch "$file"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
if grep -Evq '^[0-9a-f]{64}  [^ ]+$' "$new"; then
  echo "$new holds a line that is not a SHA-256 checksum and an archive name" >&2
  exit 1
fi
# The recorded lines of other archives, then those of the release.
awk 'NR == FNR { seen[$2] = 1; next } { if (!($2 in seen) && NF == 2) print }' "$new" "$file" > "$tmp"
cat "$new" >> "$tmp"
sort -k 2 -o "$tmp" "$tmp"
cat "$tmp" > "$file"
