#!/usr/bin/env bash
# The shell steps of the drift-check action: run the check, keep the SARIF and
# markdown reports, write the job summary, and post or update one PR comment.
# Inputs come as INPUT_* variables; it always exits 0 and passes drift's exit
# code on as the `exit-code` output, so that later steps (SARIF upload) still run.
set -uo pipefail

drift=${DRIFT:-drift}
baseline=${INPUT_BASELINE:-baseline.yaml}
plan=${INPUT_PLAN:-}
live=${INPUT_LIVE:-false}
fail_on=${INPUT_FAIL_ON:-medium}
format=${INPUT_FORMAT:-github}
comment=${INPUT_COMMENT:-true}
out="${RUNNER_TEMP:-$(mktemp -d)}/drift"
mkdir -p "$out"

output() { if [ -n "${GITHUB_OUTPUT:-}" ]; then printf '%s=%s\n' "$1" "$2" >> "$GITHUB_OUTPUT"; fi; }

args=(--baseline "$baseline" --fail-on "$fail_on")
if [ "$live" = "true" ]; then
  args+=(--live)
elif [ -n "$plan" ]; then
  args+=(--plan "$plan")
else
  echo "::error title=drift::give the action a \`plan\` or set \`live: true\`"
  output exit-code 2
  exit 0
fi

# The check itself: its output in the log (annotations with the github format),
# and the job summary (drift appends it when GITHUB_STEP_SUMMARY is set).
"$drift" check "${args[@]}" --format "$format"
code=$?
output exit-code "$code"
if [ "$code" -eq 2 ]; then
  echo "::error title=drift::the check could not be completed (exit code 2): see the log"
  exit 0
fi

# The same check as SARIF and as a comment body; the summary is written once.
GITHUB_STEP_SUMMARY='' "$drift" check "${args[@]}" --format sarif --output "$out/drift.sarif"
GITHUB_STEP_SUMMARY='' "$drift" check "${args[@]}" --format markdown --output "$out/comment.md"
output sarif "$out/drift.sarif"
output comment "$out/comment.md"

# One comment per pull request, found again by its hidden marker and its
# author, and updated.
marker='<!-- drift-report -->'
pr=""
if [ -n "${GITHUB_EVENT_PATH:-}" ] && [ -f "$GITHUB_EVENT_PATH" ]; then
  pr=$(jq -r '.pull_request.number // empty' "$GITHUB_EVENT_PATH")
fi
if [ "$comment" != "true" ] || [ -z "$pr" ]; then
  exit 0
fi
if [ -z "${GITHUB_TOKEN:-}" ]; then
  echo "::warning title=drift::no GITHUB_TOKEN: the pull request comment is not posted"
  exit 0
fi
api="${GITHUB_API_URL:-https://api.github.com}/repos/${GITHUB_REPOSITORY}"
auth=(-H "Authorization: Bearer ${GITHUB_TOKEN}" -H "Accept: application/vnd.github+json" -H "X-GitHub-Api-Version: 2022-11-28")
body=$(jq -Rs '{body: .}' < "$out/comment.md")

# Only a comment drift itself wrote is updated: anyone can post the marker
# first. The token's own login (GET /user; the workflow's GITHUB_TOKEN cannot
# ask, and comments as github-actions[bot]).
me=${DRIFT_COMMENT_AUTHOR:-}
if [ -z "$me" ]; then
  me=$(curl -fsS "${auth[@]}" "${GITHUB_API_URL:-https://api.github.com}/user" 2>/dev/null | jq -r '.login // empty' 2>/dev/null || true)
fi
me=${me:-github-actions[bot]}

existing=""
page=1
while [ -z "$existing" ]; do
  comments=$(curl -fsS "${auth[@]}" "$api/issues/$pr/comments?per_page=100&page=$page") || {
    echo "::warning title=drift::cannot list the comments of pull request #$pr"; exit 0; }
  existing=$(printf '%s' "$comments" | jq -r --arg m "$marker" --arg me "$me" \
    '[.[] | select((.user.login // "") == $me and ((.body // "") | startswith($m)))][0].id // empty')
  [ "$(printf '%s' "$comments" | jq 'length')" -lt 100 ] && break
  page=$((page + 1))
done

if [ -n "$existing" ]; then
  curl -fsS -X PATCH "${auth[@]}" "$api/issues/comments/$existing" -d "$body" > /dev/null \
    || echo "::warning title=drift::cannot update comment $existing"
else
  curl -fsS -X POST "${auth[@]}" "$api/issues/$pr/comments" -d "$body" > /dev/null \
    || echo "::warning title=drift::cannot comment on pull request #$pr"
fi
exit 0
