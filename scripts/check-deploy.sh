#!/usr/bin/env bash
# Offline checks of the deployment files (no Docker engine or cluster needed):
#   - docker-compose.yml validates;
#   - deploy/k8s/base and every overlay under deploy/k8s/overlays render with kustomize;
#   - every rendered Deployment and Job keeps readOnlyRootFilesystem and runAsNonRoot,
#     and no service-template placeholder is left unreplaced;
#   - deploy/Dockerfile's build stage, replayed without Docker for every service: what its COPY
#     lines bring into the context (less .dockerignore's node_modules) installs with its own
#     `pnpm install --offline --frozen-lockfile` from the local store (a dependency patch the
#     Dockerfile forgot to copy, say, fails here and not first in an image build).
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

# --- Dockerfile build stage ----------------------------------------------------------------
have pnpm || fail "pnpm is needed to replay the Dockerfile's install"
# The sources and destination of each COPY of the build stage (up to the runtime stage, no --from).
copies="$(awk '/^FROM .* AS runtime/ { exit } /^COPY / && !/--from/ { $1 = ""; print }' deploy/Dockerfile)"
install="$(awk '/^RUN pnpm install/ { cmd = $0; while (cmd ~ /\\$/) { getline more; cmd = substr(cmd, 1, length(cmd) - 1) more } sub(/^RUN /, "", cmd); sub(/ &&.*/, "", cmd); print cmd; exit }' deploy/Dockerfile)"
[[ -n "$copies" && -n "$install" ]] || fail "deploy/Dockerfile: no COPY or pnpm install found in the build stage"
for dir in services/*/; do
  service="$(basename "$dir")"
  ctx="$tmp/image-$service"
  mkdir -p "$ctx"
  while read -r -a parts; do
    dest="${parts[-1]//\$\{SERVICE\}/$service}"
    for src in "${parts[@]:0:${#parts[@]}-1}"; do
      src="${src//\$\{SERVICE\}/$service}"
      # Only the forms the Dockerfile uses: files into ./, or a directory to the same path.
      [[ "$dest" == "./" || "${src%/}" == "${dest%/}" ]] || fail "deploy/Dockerfile: COPY $src $dest is not replayed here"
      # .dockerignore keeps node_modules, tests and benches out of the context.
      tar -cf - --exclude=node_modules --exclude=test --exclude=bench "$src" | tar -xf - -C "$ctx"
    done
  done <<<"$copies"
  cmd="${install//\$\{SERVICE\}/$service}"
  cmd="${cmd//--store-dir \/pnpm\/store/}"
  (cd "$ctx" && eval "$cmd") >"$tmp/install-$service.log" 2>&1 || {
    tail -20 "$tmp/install-$service.log" >&2
    fail "deploy/Dockerfile: the build stage's install fails for $service (see above)"
  }
  echo "ok   deploy/Dockerfile build stage installs $service offline"
done

echo "check-deploy: all checks passed"
