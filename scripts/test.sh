#!/usr/bin/env bash
# The one command that runs the whole test suite on a fresh machine: installs Node 24, pnpm,
# the packages and the system tools (kcat, docker-compose, kubectl), makes sure Postgres is up,
# starts a Kafka protocol peer (librdkafka's mock cluster via kcat), runs `pnpm test`, stops the
# peer, and prints `N passed, N failed` as its last line.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
log() { printf '[test] %s\n' "$*" >&2; }

source scripts/bootstrap.sh || { echo "0 passed, 1 failed"; exit 1; }
set +e
log "node $(node --version), pnpm $(pnpm --version)"

missing=()
for tool in kcat docker-compose kubectl pg_isready; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  pkgs=()
  for tool in "${missing[@]}"; do
    case $tool in pg_isready) pkgs+=(postgresql-client) ;; *) pkgs+=("$tool") ;; esac
  done
  log "installing ${pkgs[*]}"
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}") >&2 || log "apt-get install failed"
  else
    (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}") >&2 || log "could not install ${pkgs[*]}"
  fi
fi

# Postgres: TEST_DATABASE_URL if given, else the local server (started if it is down).
if [ -z "${TEST_DATABASE_URL:-}" ]; then
  if ! pg_isready -q -h 127.0.0.1 -p 5432 && [ -d /etc/postgresql ]; then
    log "starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start >&2
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
  export TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test
fi

# Kafka: KAFKA_BROKERS if given, else librdkafka's mock cluster, stopped by pid at the end.
kcat_pid=""
if [ -z "${KAFKA_BROKERS:-}" ] && command -v kcat >/dev/null; then
  kcat_log=$(mktemp)
  kcat -X test.mock.num.brokers=3 -b dummy -C -t keepalive -d mock >/dev/null 2>"$kcat_log" &
  kcat_pid=$!
  trap 'kill "$kcat_pid" 2>/dev/null' EXIT
  brokers=""
  for _ in $(seq 1 100); do
    brokers=$(grep -o 'bootstrap.servers=[0-9.:,]*' "$kcat_log" | head -1 | cut -d= -f2)
    [ -n "$brokers" ] && break
    sleep 0.1
  done
  export KAFKA_BROKERS=$brokers
  log "Kafka mock cluster at $KAFKA_BROKERS (pid $kcat_pid)"
fi

pnpm test
status=$?
if [ -n "$kcat_pid" ]; then
  kill "$kcat_pid" 2>/dev/null
  wait "$kcat_pid" 2>/dev/null
fi
# pnpm prints its own failure notice after the summary; repeat the summary so it is last.
cat .tap/summary.txt 2>/dev/null || echo "0 passed, 1 failed"
exit "$status"
