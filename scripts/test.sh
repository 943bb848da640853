#!/usr/bin/env bash
# `npm test`: the same set-up as `npm start`, then every test (unit, sandbox, integration/e2e).
# Extra arguments go to Jest, e.g. `npm test -- --selectProjects unit`.
set -euo pipefail
cd "$(dirname "$0")/.."
NEED_CHROMIUM=1 bash scripts/setup.sh
set -a; . var/run/started.env; set +a
cleanup() {
  if [ -n "${STARTED_REDIS_PIDFILE:-}" ] && [ -f "$STARTED_REDIS_PIDFILE" ]; then kill "$(cat "$STARTED_REDIS_PIDFILE")" 2>/dev/null || true; fi
  if [ -n "${STARTED_DOCKERD_PID:-}" ]; then kill "$STARTED_DOCKERD_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT
status=0
npx jest --ci "$@" || status=$?
exit $status
