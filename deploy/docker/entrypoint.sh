#!/bin/sh
# Container entrypoint: `serve` (default) | `migrate` | any other command.
# `exec` makes node PID 1 so it receives SIGTERM directly and drains before exiting.
set -eu
: "${ATTUNE_SERVICE:?ATTUNE_SERVICE is not set (it is baked in from the SERVICE build arg)}"
cmd="${1:-serve}"
if [ "$#" -gt 0 ]; then shift; fi
case "$cmd" in
  serve) exec node "/app/services/$ATTUNE_SERVICE/src/server.ts" "$@" ;;
  migrate) exec node "/app/services/$ATTUNE_SERVICE/src/migrate.ts" "$@" ;;
  *) exec "$cmd" "$@" ;;
esac
