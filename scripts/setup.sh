#!/usr/bin/env bash
# Installs what k8ts needs on Debian 12 (apt and npm packages) and builds it.
# Idempotent: installs only what is missing; safe to run any number of times.
set -euo pipefail
cd "$(dirname "$0")/.."

# etcd for the etcd datastore; containerd, runc, CNI plugins, busybox-static and
# catatonit for the node (containers, pod network, local base images); iptables,
# conntrack and iproute2 for networking.
APT_PACKAGES=(etcd-server etcd-client containerd runc containernetworking-plugins busybox-static catatonit iptables conntrack iproute2 docker-registry skopeo apache2-utils)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing apt packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Debian starts packaged daemons as system services; k8ts runs its own etcd and containerd,
  # and tests start their own docker-registry.
  for service in etcd containerd docker-registry; do
    if systemctl is-active --quiet "$service" 2>/dev/null; then systemctl disable --now "$service" >/dev/null 2>&1 || true; fi
  done
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi

echo "setup: building"
# Compiled files whose source is gone (renamed or deleted) would still run as tests.
if [ -d dist ]; then
  find dist -name '*.js' -print0 | while IFS= read -r -d '' compiled; do
    source="${compiled#dist/}"
    [ -f "${source%.js}.ts" ] || rm -f "$compiled" "$compiled.map"
  done
fi
npx tsc -p tsconfig.json
node dist/scripts/generate-openapi.js
