#!/usr/bin/env bash
# Writes the FerretDB source this command builds against: upstream's module, at the version
# go.mod requires, from the Go module cache (downloaded if missing), with PATCHES applied in
# order, into .tools/ferretdb-src (go.mod's replace directive points there). It does nothing
# when that copy already holds this version with these patches. Run it before `go build` or
# `go test` here; scripts/provision.sh does.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DEST="$HERE/../../.tools/ferretdb-src"
MODULE="github.com/FerretDB/FerretDB"
VERSION="$(awk -v m="$MODULE" '$1 == m && $2 ~ /^v/ { print $2; exit }' "$HERE/go.mod")"
[ -n "$VERSION" ] || { echo "prepare-source: no $MODULE version in go.mod" >&2; exit 1; }
PATCHES=(atomic-writes.patch id-lookups.patch)
STAMP="$VERSION $(cd "$HERE" && cat "${PATCHES[@]}" | sha256sum | cut -d' ' -f1)"

if [ "$(cat "$DEST/.evoscope-source" 2>/dev/null)" = "$STAMP" ]; then
  exit 0
fi

ORIGIN="$(cd "${TMPDIR:-/tmp}" && GOFLAGS=-mod=mod GO111MODULE=on go mod download -json "$MODULE@$VERSION" |
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
[ -d "$ORIGIN" ] || { echo "prepare-source: go mod download gave no directory for $MODULE@$VERSION" >&2; exit 1; }

rm -rf "$DEST.tmp"
mkdir -p "$(dirname "$DEST")"
cp -R "$ORIGIN" "$DEST.tmp"
chmod -R u+w "$DEST.tmp"
for p in "${PATCHES[@]}"; do
  patch --quiet --directory="$DEST.tmp" --strip=1 --forward <"$HERE/$p"
done
echo "$STAMP" >"$DEST.tmp/.evoscope-source"
rm -rf "$DEST"
mv "$DEST.tmp" "$DEST"
