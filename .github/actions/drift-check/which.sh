#!/usr/bin/env bash
# Which drift the action installs, and from where: the version (input
# `version`, else the version of the action's own commit) and the repository
# the action was checked out from. `github.action_repository` is unreliable in
# composite actions (empty, or the calling repository), so the repository is
# read from GITHUB_ACTION_PATH (`…/_actions/OWNER/REPO/REF/.github/actions/
# drift-check`); a local action (`uses: ./.github/actions/drift-check`) is
# this repository. Input `repository` overrides it. Writes version, dir,
# repository and ref to GITHUB_OUTPUT (or standard output).
set -euo pipefail

here=${GITHUB_ACTION_PATH:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
say() { if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "$1=$2" >> "$GITHUB_OUTPUT"; else echo "$1=$2"; fi; }

version=${INPUT_VERSION:-}
if [ -z "$version" ]; then
  version=$(sed -n 's/^version = "\([^"]*\)"$/\1/p' "$here/../../../Cargo.toml" | head -n 1)
fi
version=${version#v}

repository=${INPUT_REPOSITORY:-}
ref=""
case "$here" in
  */_actions/*/*/*/.github/actions/drift-check)
    rest=${here##*/_actions/}
    owner=${rest%%/*}; rest=${rest#*/}
    repo=${rest%%/*}; rest=${rest#*/}
    ref=${rest%%/*}
    repository=${repository:-$owner/$repo}
    ;;
  *)
    repository=${repository:-${GITHUB_REPOSITORY:-}}
    ref=local
    ;;
esac
if [ -z "$repository" ]; then
  echo "::error title=drift::cannot tell which repository the action comes from: give the \`repository\` input"
  exit 1
fi

say version "$version"
say repository "$repository"
say ref "$ref"
say dir "${RUNNER_TOOL_CACHE:-${RUNNER_TEMP:-/tmp}}/iam-drift-guard/$version/${RUNNER_OS:-unknown}-${RUNNER_ARCH:-unknown}"
