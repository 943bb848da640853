#!/usr/bin/env bash
# `npm start`: set everything up, then run the API and the worker until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
set -a; . var/run/started.env; set +a
exec node dist/src/launcher.js
