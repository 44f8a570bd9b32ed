#!/usr/bin/env bash
# Offline checks of the deployment files (no Docker engine or cluster needed):
#   - docker-compose.yml validates;
#   - deploy/k8s/base and every overlay under deploy/k8s/overlays render with kustomize;
#   - every rendered Deployment and Job keeps readOnlyRootFilesystem and runAsNonRoot,
#     and no service-template placeholder is left unreplaced.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

fail() {
  echo "check-deploy: FAIL: $*" >&2
  exit 1
}

have() { command -v "$1" >/dev/null 2>&1; }
have_compose() { have docker-compose || docker compose version >/dev/null 2>&1; }

ensure_tools() {
  local missing=()
  have_compose || missing+=(docker-compose)
  have kubectl || missing+=(kubectl)
  if ((${#missing[@]} == 0)); then return; fi
  if [[ $(id -u) -eq 0 ]] && have apt-get; then
    echo "check-deploy: installing ${missing[*]} with apt-get"
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >/dev/null; then
      # Debian's own archive has docker-compose but not kubectl, which comes from the
      # Kubernetes apt repository when that is configured.
      fail "apt-get could not install ${missing[*]}; install them by hand and re-run"
    fi
  else
    fail "missing ${missing[*]}: install them (e.g. 'sudo apt-get install -y ${missing[*]}') and re-run"
  fi
}

ensure_tools

# --- Compose -----------------------------------------------------------------------------
validated=0
if have docker-compose; then
  docker-compose -f docker-compose.yml config -q || fail "docker-compose rejects docker-compose.yml"
  echo "ok   docker-compose.yml (docker-compose $(docker-compose version --short 2>/dev/null || echo '?'))"
  validated=1
fi
if docker compose version >/dev/null 2>&1; then
  docker compose -f docker-compose.yml config -q || fail "docker compose rejects docker-compose.yml"
  echo "ok   docker-compose.yml (docker compose $(docker compose version --short 2>/dev/null || echo '?'))"
  validated=1
fi
((validated)) || fail "no compose implementation found"

# --- Kustomize ---------------------------------------------------------------------------
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Prints "<deployments> <jobs>" for a rendered file, or fails naming the offending workload.
# A workload passes when it has at least one `readOnlyRootFilesystem: true` per `image:`
# (that is, per container) and at least one `runAsNonRoot: true`.
check_hardening() {
  awk -v src="$2" '
    function flush() {
      if (kind == "Deployment" || kind == "Job") {
        count[kind]++
        if (images == 0 || ro < images || nonroot == 0) {
          printf "%s: %s %s: %d container(s), %d with readOnlyRootFilesystem: true, runAsNonRoot: true %s\n",
            src, kind, name, images, ro, (nonroot ? "present" : "missing") > "/dev/stderr"
          bad = 1
        }
      }
      kind = ""; name = ""; images = 0; ro = 0; nonroot = 0
    }
    /^---$/ { flush(); next }
    /^kind: / { kind = $2 }
    /^  name: / && name == "" { name = $2 }
    /^ +(- )?image: / { images++ }
    /^ +readOnlyRootFilesystem: true$/ { ro++ }
    /^ +runAsNonRoot: true$/ { nonroot++ }
    END {
      flush()
      if (bad) exit 1
      print count["Deployment"] + 0, count["Job"] + 0
    }
  ' "$1"
}

targets=(deploy/k8s/base)
for dir in deploy/k8s/overlays/*/; do targets+=("${dir%/}"); done
((${#targets[@]} > 1)) || fail "no overlays found under deploy/k8s/overlays"

for target in "${targets[@]}"; do
  out="$tmp/$(echo "$target" | tr / _).yaml"
  kubectl kustomize "$target" >"$out" || fail "kubectl kustomize $target"
  if grep -nE '(image|name): attune-service(-db)?$' "$out" >&2; then
    fail "$target: service-template placeholder left unreplaced (see lines above)"
  fi
  read -r deployments jobs < <(check_hardening "$out" "$target") || fail "$target: workload without pod hardening (see above)"
  ((deployments > 0)) || fail "$target: rendered no Deployment"
  echo "ok   $target ($deployments Deployments, $jobs Jobs: readOnlyRootFilesystem, runAsNonRoot)"
done

echo "check-deploy: all checks passed"
