#!/usr/bin/env bash
# Installs drift for the drift-check action: the release archive of the
# version asked for (default: the version of the action's own commit), for the
# runner's OS and architecture, checked against the release's SHA256SUMS on
# every run, cached archive included (and its build provenance, signed by the
# release workflow, when `gh` is there). Only when no release matches
# does it build from source with `cargo install --locked`, and it says so.
#
# Inputs: INPUT_VERSION (empty: the action's Cargo.toml version),
# DRIFT_RELEASE_BASE (…/releases/download), DRIFT_INSTALL_DIR (where a
# released binary goes; a cache keeps it between runs), DRIFT_SOURCE (the
# action's checkout, for the fallback), DRIFT_BUILD_DIR (where a build from
# source goes, not cached), RUNNER_OS, RUNNER_ARCH, GITHUB_PATH, DRIFT_REPOSITORY (for
# `gh attestation verify`), DRIFT_PINNED_SUMS (the checksums this commit of
# the action records; default: checksums.txt beside this script). CARGO names
# cargo (tests stand one in).
set -euo pipefail

source_dir=${DRIFT_SOURCE:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)}
install_dir=${DRIFT_INSTALL_DIR:?DRIFT_INSTALL_DIR is not set}
version=${INPUT_VERSION:-}
if [ -z "$version" ]; then
  version=$(sed -n 's/^version = "\([^"]*\)"$/\1/p' "$source_dir/Cargo.toml" | head -n 1)
fi
version=${version#v}
base=${DRIFT_RELEASE_BASE:?DRIFT_RELEASE_BASE is not set}

exe=drift
case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
  Linux/X64) target=x86_64-unknown-linux-musl ;;
  Linux/ARM64) target=aarch64-unknown-linux-musl ;;
  macOS/X64) target=x86_64-apple-darwin ;;
  macOS/ARM64) target=aarch64-apple-darwin ;;
  Windows/X64) target=x86_64-pc-windows-msvc; exe=drift.exe ;;
  *) target="" ;;
esac

path_add() { if [ -n "${GITHUB_PATH:-}" ]; then echo "$1" >> "$GITHUB_PATH"; fi; }

# A build from source is not cached: the same version number may stand for
# other commits of the action.
build_from_source() {
  echo "::notice title=drift::$1: building drift $version from source with cargo install --locked (minutes, not seconds)"
  local root="${DRIFT_BUILD_DIR:-${RUNNER_TEMP:-$(mktemp -d)}/drift-build}"
  "${CARGO:-cargo}" install --locked --path "$source_dir" --root "$root"
  path_add "$root/bin"
}

if [ -z "$target" ]; then
  build_from_source "no release archive for ${RUNNER_OS:-?}/${RUNNER_ARCH:-?}"
  exit 0
fi

case "$target" in
  *windows*) archive="drift-v$version-$target.zip" ;;
  *) archive="drift-v$version-$target.tar.gz" ;;
esac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fetch() { curl --fail --silent --show-error --location --retry 3 --output "$2" "$1"; }

if ! fetch "$base/v$version/SHA256SUMS" "$work/SHA256SUMS" 2>"$work/err"; then
  build_from_source "no release v$version at $base ($(tr -d '\n' < "$work/err"))"
  exit 0
fi
if ! grep -q "  $archive\$" "$work/SHA256SUMS"; then
  build_from_source "release v$version has no $archive"
  exit 0
fi
# The cache keeps the verified archive, not only the binary: it is checked
# against SHA256SUMS again on every run and the binary taken from it again, so
# a cache entry changed since it was written is never run.
if [ -f "$install_dir/$archive" ]; then
  cp "$install_dir/$archive" "$work/$archive"
  from="the cache ($install_dir)"
else
  fetch "$base/v$version/$archive" "$work/$archive"
  from="$base"
fi

want=$(grep "  $archive\$" "$work/SHA256SUMS" | cut -d ' ' -f 1)
# The checksum this commit of the action recorded when the release was made:
# pinning the action by commit pins the binary, whatever the release's
# SHA256SUMS says later.
pinned_file=${DRIFT_PINNED_SUMS:-$(dirname "${BASH_SOURCE[0]}")/checksums.txt}
pinned=""
if [ -f "$pinned_file" ]; then
  pinned=$(grep "  $archive\$" "$pinned_file" | cut -d ' ' -f 1 | head -n 1 || true)
fi
if [ -n "$pinned" ] && [ "$pinned" != "$want" ]; then
  echo "::error title=drift::the release's SHA256SUMS gives $want for $archive, this commit of the action recorded $pinned: not installed"
  exit 1
fi
if [ -z "$pinned" ]; then
  echo "::notice title=drift::this commit of the action records no checksum for $archive: it is checked against the release's SHA256SUMS only"
fi
if command -v sha256sum >/dev/null 2>&1; then
  got=$(sha256sum "$work/$archive" | cut -d ' ' -f 1)
else
  got=$(shasum -a 256 "$work/$archive" | cut -d ' ' -f 1)
fi
if [ "$got" != "$want" ]; then
  echo "::error title=drift::$archive from $from does not match SHA256SUMS (got $got, want $want): not installed"
  rm -f "$install_dir/$archive" "$install_dir/$exe"
  exit 1
fi
echo "drift $version: $archive from $from matches SHA256SUMS${pinned:+ and the checksum this commit of the action records}"

# Build provenance, signed by this repository's release workflow: when `gh`
# is there, a failed verification fails the step.
if command -v gh >/dev/null 2>&1 && [ -n "${DRIFT_REPOSITORY:-}" ]; then
  if ! gh attestation verify "$work/$archive" --repo "$DRIFT_REPOSITORY" \
      --signer-workflow "$DRIFT_REPOSITORY/.github/workflows/release.yml" >/dev/null; then
    echo "::error title=drift::$archive has no valid build provenance from $DRIFT_REPOSITORY's release workflow: not installed"
    exit 1
  fi
  echo "drift $version: build provenance verified"
fi

mkdir -p "$work/x" "$install_dir"
case "$archive" in
  *.zip) unzip -q "$work/$archive" -d "$work/x" ;;
  *) tar -xzf "$work/$archive" -C "$work/x" ;;
esac
found=$(find "$work/x" -type f -name "$exe" | head -n 1)
if [ -z "$found" ]; then
  echo "::error title=drift::$archive holds no $exe"
  exit 1
fi
cp "$found" "$install_dir/$exe"
chmod +x "$install_dir/$exe"
if [ ! -f "$install_dir/$archive" ]; then
  cp "$work/$archive" "$install_dir/$archive"
fi
path_add "$install_dir"
echo "drift $version: installed from $archive ($from)"
