#!/usr/bin/env bash
# Runs `hiyari audit` (or `hiyari merge` of earlier JSON reports) for the hiyari GitHub
# Action (action.yml): writes SARIF, Markdown and the requested formats into the output
# directory, puts the verdict and the Markdown report in the job summary, and records
# hiyari's exit code as the step output `exit-code` for the step that concludes. Exits 0
# itself whenever hiyari ran, so that the SARIF upload in between always happens.
#
# Environment (the Action's inputs): HIYARI_BIN, HIYARI_REPORTS, HIYARI_ARGS, HIYARI_ORG,
# HIYARI_ROLE_NAME, HIYARI_FAIL_ON, HIYARI_FORMATS, HIYARI_OUTPUT_DIR,
# HIYARI_SARIF_LOCATION.
set -euo pipefail

bin=${HIYARI_BIN:-hiyari}
out=${HIYARI_OUTPUT_DIR:-hiyari-reports}
mkdir -p "$out"

fail() {
  echo "::error title=hiyari::$*"
  exit 2
}
summary() {
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then cat >>"$GITHUB_STEP_SUMMARY"; else cat >&2; fi
}

# The file of each format, in the output directory.
file_of() {
  case "$1" in
    json) echo "$out/hiyari.json" ;;
    sarif) echo "$out/hiyari.sarif" ;;
    markdown) echo "$out/hiyari.md" ;;
    junit) echo "$out/hiyari.junit.xml" ;;
    html) echo "$out/hiyari.html" ;;
    csv) echo "$out/hiyari.csv" ;;
    ocsf) echo "$out/hiyari.ocsf.jsonl" ;;
    asff) echo "$out/hiyari.asff.json" ;;
    table) echo "$out/hiyari.txt" ;;
    *) fail "formats: \`$1\` is not a format of hiyari (json, sarif, markdown, junit, html, csv, ocsf, asff, table)" ;;
  esac
}

# SARIF and Markdown always (code scanning, the job summary), then the requested ones.
formats=(sarif markdown)
IFS=', ' read -r -a requested <<<"${HIYARI_FORMATS:-}"
for f in ${requested[@]+"${requested[@]}"}; do
  f=$(printf '%s' "$f" | tr '[:upper:]' '[:lower:]')
  [ -n "$f" ] || continue
  file_of "$f" >/dev/null
  case " ${formats[*]} " in *" $f "*) ;; *) formats+=("$f") ;; esac
done

# More arguments, split on whitespace with no globbing: an argument cannot hold a space
# (put such settings in hiyari.toml).
set -f
# shellcheck disable=SC2206 # word splitting is what this input means
extra=(${HIYARI_ARGS:-})
set +f
has_arg() {
  local a
  for a in ${extra[@]+"${extra[@]}"}; do case "$a" in "$1" | "$1="*) return 0 ;; esac; done
  return 1
}

common=()
[ -z "${HIYARI_FAIL_ON:-}" ] || common+=(--fail-on "$HIYARI_FAIL_ON")

code=0
if [ -n "${HIYARI_REPORTS:-}" ]; then
  # `hiyari merge` writes one format per run: one run per format, the same verdict.
  [ "${HIYARI_ORG:-false}" = false ] || fail "org applies to an audit, not to merging reports"
  shopt -s nullglob
  # shellcheck disable=SC2206 # the input is a list of paths and glob patterns
  reports=(${HIYARI_REPORTS})
  shopt -u nullglob
  [ "${#reports[@]}" -gt 0 ] || fail "reports: no file matches \`$HIYARI_REPORTS\`"
  echo "hiyari merge: ${reports[*]}"
  first=1
  for f in "${formats[@]}"; do
    set +e
    "$bin" merge "${reports[@]}" --format "$f" --output "$(file_of "$f")" \
      ${common[@]+"${common[@]}"} ${extra[@]+"${extra[@]}"}
    c=$?
    set -e
    if [ "$first" = 1 ] || [ "$c" = 2 ]; then code=$c; fi
    first=0
  done
else
  args=(audit --no-progress)
  [ "${HIYARI_ORG:-false}" = false ] || args+=(--org)
  [ -z "${HIYARI_ROLE_NAME:-}" ] || args+=(--role-name "$HIYARI_ROLE_NAME")
  # Alerts point at a file of the repository: by default the workflow that runs this.
  location=${HIYARI_SARIF_LOCATION:-}
  if [ -z "$location" ] && [ -n "${GITHUB_WORKFLOW_REF:-}" ] && [ -n "${GITHUB_REPOSITORY:-}" ]; then
    location=${GITHUB_WORKFLOW_REF#"$GITHUB_REPOSITORY"/}
    location=${location%%@*}
  fi
  if [ -n "$location" ] && ! has_arg --sarif-location; then
    args+=(--sarif-location "$location")
  fi
  for f in "${formats[@]}"; do args+=(--output "$f=$(file_of "$f")"); done
  echo "hiyari ${args[*]} ${common[*]} ${extra[*]}"
  set +e
  "$bin" "${args[@]}" ${common[@]+"${common[@]}"} ${extra[@]+"${extra[@]}"}
  code=$?
  set -e
fi

case "$code" in
  0) verdict="**hiyari: pass.** No fail at or above the --fail-on severity, and every check was evaluated." ;;
  1) verdict="**hiyari: fail** (exit 1). Fails at or above the --fail-on severity: see the report below and the Security tab." ;;
  3) verdict="**hiyari: incomplete** (exit 3). Some checks could not be evaluated: their findings are \`error\` and name the API and the error code (often a missing IAM permission; \`hiyari policy\` prints the ones it needs). No fail at or above the --fail-on severity among the rest." ;;
  4) verdict="**hiyari: warnings** (exit 4, --fail-on-warnings). An accepted risk expired or matched nothing, or an allowed region does not exist." ;;
  2) verdict="**hiyari: no report** (exit 2). A usage, configuration or credential error: see the step's log." ;;
  *) verdict="**hiyari: stopped** (exit $code) before writing a report." ;;
esac
printf '%s\n\n' "$verdict" | summary

# The Markdown report, within the 1 MiB a step's summary may hold.
md=$(file_of markdown)
if [ -f "$md" ]; then
  limit=$((1000 * 1024))
  if [ "$(wc -c <"$md")" -le "$limit" ]; then
    summary <"$md"
  else
    { head -c "$limit" "$md" | sed '$d'; printf '\n\n*The report is cut here: the whole of it is %s.*\n' "$md"; } | summary
  fi
fi

{
  echo "exit-code=$code"
  echo "dir=$out"
  if [ -f "$(file_of sarif)" ]; then echo "sarif=$(file_of sarif)"; fi
} >>"${GITHUB_OUTPUT:-/dev/null}"
