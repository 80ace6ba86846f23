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
baseline_from=${INPUT_BASELINE_FROM:-base}
out="${RUNNER_TEMP:-$(mktemp -d)}/drift"
mkdir -p "$out"

output() { if [ -n "${GITHUB_OUTPUT:-}" ]; then printf '%s=%s\n' "$1" "$2" >> "$GITHUB_OUTPUT"; fi; }

# A check that could not be completed (exit code 2) says so in the log, and in
# the pull request's comment too: an earlier "no drift" must not stay there.
unfinished() {
  echo "::error title=drift::$1"
  output exit-code 2
  {
    echo '<!-- drift-report -->'
    echo '## drift: IAM baseline check'
    echo
    echo '**⚠️ The check could not be completed** (exit code 2): drift did not read everything it needs, so there is no verdict, and no earlier result of this comment holds any more. The log of the job says what was not read and why.'
  } > "$out/comment.md"
  output comment "$out/comment.md"
  if [ "$comment" = "true" ]; then
    "$(dirname "${BASH_SOURCE[0]}")/comment.sh" "$out/comment.md"
  fi
  exit 0
}

# Pull request context, and the API for the base branch's baseline and the
# comment.
pr=""
base_sha=""
if [ -n "${GITHUB_EVENT_PATH:-}" ] && [ -f "$GITHUB_EVENT_PATH" ]; then
  pr=$(jq -r '.pull_request.number // empty' "$GITHUB_EVENT_PATH")
  base_sha=$(jq -r '.pull_request.base.sha // empty' "$GITHUB_EVENT_PATH")
fi
api="${GITHUB_API_URL:-https://api.github.com}/repos/${GITHUB_REPOSITORY:-}"
auth=(-H "Authorization: Bearer ${GITHUB_TOKEN:-}" -H "Accept: application/vnd.github+json" -H "X-GitHub-Api-Version: 2022-11-28")

case "$baseline_from" in
  base | checkout) ;;
  *) unfinished "\`baseline-from\` is \`base\` or \`checkout\`, not \`$baseline_from\`" ;;
esac

# The reference comes from the base branch, never from the pull request it
# guards: a pull request that weakens IAM and edits baseline.yaml to match
# would pass its own check. When the pull request changes the baseline, its
# copy is judged against the base branch's (`baseline-changed` findings).
reference=(--baseline "$baseline")
if [ "$baseline_from" = base ] && [ -n "$pr" ]; then
  fail() { unfinished "$1"; }
  [ -n "$base_sha" ] || fail "the pull request event names no base commit: cannot read the base branch's $baseline (set \`baseline-from: checkout\` to use the checked-out file)"
  rel=${baseline#./}
  mkdir -p "$out/base"
  base_copy="$out/base/$(basename "$rel")"
  found=""
  # A checkout with history has the base commit; the API needs only the token.
  if git cat-file -e "$base_sha:./$rel" 2>/dev/null && git show "$base_sha:./$rel" > "$base_copy" 2>/dev/null; then
    found=yes
  elif [ -z "${GITHUB_TOKEN:-}" ]; then
    fail "cannot read $rel of the base branch ($base_sha): no token, and the checkout has no history (give \`github-token\`, or check out with \`fetch-depth: 0\`)"
  else
    status=$(curl -sS -o "$base_copy" -w '%{http_code}' "${auth[@]}" -H "Accept: application/vnd.github.raw+json" \
      "$api/contents/$rel?ref=$base_sha" 2>/dev/null) || status=000
    if [ "$status" = 200 ]; then
      found=yes
    elif [ "$status" = 404 ] \
        && [ "$(curl -sS -o /dev/null -w '%{http_code}' "${auth[@]}" "$api/commits/$base_sha" 2>/dev/null)" = 200 ]; then
      # The base commit is readable and has no baseline: the pull request
      # brings the first one.
      found=no
    else
      fail "cannot read $rel of the base branch ($base_sha): HTTP $status (the job needs \`contents: read\`)"
    fi
  fi
  if [ "$found" = no ]; then
    echo "::warning title=drift::the base branch has no $rel: this first check uses the pull request's own baseline"
  elif ! cmp -s "$base_copy" "$baseline"; then
    echo "drift: the pull request changes $rel; the plan is checked against the base branch's copy, and the change is judged (baseline-changed)"
    reference=(--baseline "$base_copy" --baseline-name "$rel" --proposed-baseline "$baseline")
  fi
fi

args=("${reference[@]}" --fail-on "$fail_on")
if [ "$live" = "true" ]; then
  args+=(--live)
elif [ -n "$plan" ]; then
  args+=(--plan "$plan")
  # Annotations on the code that declares each resource.
  if [ -n "${INPUT_TERRAFORM_DIR:-}" ]; then
    args+=(--terraform-dir "$INPUT_TERRAFORM_DIR")
  fi
else
  unfinished "give the action a \`plan\` or set \`live: true\`"
fi

# The check, once (a live read reads the account once): its output in the log
# (annotations with the github format), the job summary (drift appends it
# when GITHUB_STEP_SUMMARY is set), and the same judged run as SARIF and as
# the comment's body. Nothing but the log is written when it exits 2.
rm -f "$out/drift.sarif" "$out/comment.md"
"$drift" check "${args[@]}" --format "$format" \
  --also sarif="$out/drift.sarif" --also markdown="$out/comment.md"
code=$?
output exit-code "$code"
if [ "$code" -eq 2 ]; then
  unfinished "the check could not be completed (exit code 2): see the log"
fi
output sarif "$out/drift.sarif"
output comment "$out/comment.md"

# One comment per pull request, kept up to date.
if [ "$comment" = "true" ]; then
  "$(dirname "${BASH_SOURCE[0]}")/comment.sh" "$out/comment.md"
fi
exit 0
