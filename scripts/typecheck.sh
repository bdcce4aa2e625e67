#!/bin/sh
# Type check with mypy (configured in pyproject.toml) against mypy-baseline.txt.
#
#   scripts/typecheck.sh          check: the errors listed in the baseline are tolerated (wherever
#                                 their line moved); a new error fails, and so does a listed error
#                                 that no longer occurs, so the baseline can only shrink (make lint)
#   scripts/typecheck.sh --sync   rewrite the baseline from today's errors (make mypy-baseline)
#
# MYPY, MYPY_BASELINE and BIN override the mypy command, the baseline file and the tools' folder.
set -u
cd "$(dirname "$0")/.." || exit 2
BIN=${BIN:-.venv/bin}
MYPY=${MYPY:-$BIN/mypy}
BASELINE=${MYPY_BASELINE:-mypy-baseline.txt}

output=$(mktemp)
trap 'rm -f "$output"' EXIT
$MYPY >"$output" 2>&1
status=$?
if [ "$status" -gt 1 ]; then  # 1: errors found; anything above: mypy did not run to the end
    cat "$output"
    echo "mypy failed to run (exit $status)."
    exit "$status"
fi

if [ "${1:-}" = "--sync" ]; then
    "$BIN/mypy-baseline" sync --baseline-path "$BASELINE" <"$output" | tail -n 1
    echo "$(grep -c . "$BASELINE") errors listed in $BASELINE."
    exit 0
fi

"$BIN/mypy-baseline" filter --baseline-path "$BASELINE" --no-colors <"$output" && exit 0
echo "Type check failed: fix the new errors above; if errors were fixed, run 'make mypy-baseline'"
echo "and commit the shorter mypy-baseline.txt."
exit 1
