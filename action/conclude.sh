#!/usr/bin/env bash
# The hiyari Action's last step: its result is hiyari's exit code (HIYARI_EXIT_CODE).
# 1 (fails at or above --fail-on), 3 (incomplete) and 4 (warnings) fail the step unless
# HIYARI_GATE is `false` (a shard whose verdict is left to `hiyari merge`); 2 (no report)
# and an interrupted run always do.
set -euo pipefail
code=${HIYARI_EXIT_CODE:?}
case "$code" in
  0) exit 0 ;;
  1) message="fails at or above the --fail-on severity: see the job summary and the Security tab" ;;
  3) message="incomplete: some checks could not be evaluated (their findings are \`error\`)" ;;
  4) message="warnings (--fail-on-warnings): see the job summary" ;;
  2) message="no report: a usage, configuration or credential error (see the audit step's log)" ;;
  *) message="stopped before writing a report" ;;
esac
case "$code" in
  1 | 3 | 4)
    if [ "${HIYARI_GATE:-true}" = false ]; then
      echo "hiyari: exit $code, $message; not failing the step (gate: false)"
      exit 0
    fi
    ;;
esac
echo "::error title=hiyari::exit $code: $message"
exit "$code"
