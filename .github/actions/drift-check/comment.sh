#!/usr/bin/env bash
# Posts a drift report (markdown) as the one comment of drift on the pull
# request of GITHUB_EVENT_PATH, or updates it: the run's own check, or, in
# `mode: comment`, a report made by an earlier job without write permissions.
# Never fails the job: a comment that cannot be posted is a warning.
set -uo pipefail

report=${1:?the markdown report}
pr=""
if [ -n "${GITHUB_EVENT_PATH:-}" ] && [ -f "$GITHUB_EVENT_PATH" ]; then
  pr=$(jq -r '.pull_request.number // empty' "$GITHUB_EVENT_PATH")
fi
[ -n "$pr" ] || exit 0
if [ ! -f "$report" ]; then
  echo "::warning title=drift::no report to comment with ($report)"
  exit 0
fi
if [ -z "${GITHUB_TOKEN:-}" ]; then
  echo "::warning title=drift::no GITHUB_TOKEN: the pull request comment is not posted"
  exit 0
fi
api="${GITHUB_API_URL:-https://api.github.com}/repos/${GITHUB_REPOSITORY:-}"
auth=(-H "Authorization: Bearer ${GITHUB_TOKEN}" -H "Accept: application/vnd.github+json" -H "X-GitHub-Api-Version: 2022-11-28")

# Found again by its hidden marker and its author, and updated.
marker='<!-- drift-report -->'
body=$(jq -Rs '{body: .}' < "$report")

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
