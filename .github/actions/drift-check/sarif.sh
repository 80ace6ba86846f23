#!/usr/bin/env bash
# Whether the SARIF report goes to code scanning (`upload-sarif`): `true`,
# `false`, or `auto`: on for a public repository, off for a pull request from
# a fork (its token cannot write security events) and for a private
# repository without GitHub Advanced Security (code scanning refuses the
# upload), each with a notice instead of a failed job. Prints `upload=true`
# or `upload=false` to GITHUB_OUTPUT (or standard output).
set -uo pipefail

mode=${INPUT_UPLOAD_SARIF:-auto}
say() { if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "upload=$1" >> "$GITHUB_OUTPUT"; else echo "upload=$1"; fi; }
notice() { echo "::notice title=drift::$1"; }
event=${GITHUB_EVENT_PATH:-}
field() { if [ -n "$event" ] && [ -f "$event" ]; then jq -r "$1 // empty" "$event"; fi; }

case "$mode" in
  true) say true; exit 0 ;;
  false) say false; exit 0 ;;
  auto) ;;
  *) echo "::error title=drift::\`upload-sarif\` is \`auto\`, \`true\` or \`false\`, not \`$mode\`"; say false; exit 1 ;;
esac

head=$(field '.pull_request.head.repo.full_name')
if [ -n "$head" ] && [ "$head" != "${GITHUB_REPOSITORY:-}" ]; then
  notice "a pull request from a fork ($head) cannot upload to code scanning: the SARIF report is not uploaded (the annotations and the job summary carry the findings)"
  say false
  exit 0
fi
private=$(field '.repository.private')
if [ "$private" != true ]; then
  say true
  exit 0
fi
# A private repository: code scanning needs Advanced Security (Code
# Security). The repository's settings say so when the token may read them.
status=""
if [ -n "${GITHUB_TOKEN:-}" ]; then
  status=$(curl -fsS -H "Authorization: Bearer ${GITHUB_TOKEN}" -H "Accept: application/vnd.github+json" \
    "${GITHUB_API_URL:-https://api.github.com}/repos/${GITHUB_REPOSITORY:-}" 2>/dev/null \
    | jq -r '.security_and_analysis.advanced_security.status // .security_and_analysis.code_security.status // empty' 2>/dev/null)
fi
if [ "$status" = enabled ]; then
  say true
else
  notice "a private repository without GitHub Advanced Security (or a token that cannot tell): the SARIF report is not uploaded to code scanning; set \`upload-sarif: true\` to upload anyway"
  say false
fi
exit 0
