#!/usr/bin/env bash
# Installs the Debian 12 packages the project needs. Idempotent: apt-get runs
# only when something is missing. Used by the README commands, CI and the
# Dockerfile.
#   (no option)     everything to build, test, benchmark and package
#   --build-only    only what building the two binaries needs (the image's build stage)
#   --runtime       only the shared libraries the binaries need (the image)
#   --container     the container tools scripts/container-test.sh uses
set -euo pipefail

build_pkgs=(
  cmake g++ make pkg-config ccache ca-certificates
  prometheus-cpp-dev libcpp-httplib-dev libssl-dev zlib1g-dev libbrotli-dev
  nlohmann-json3-dev libyaml-cpp-dev libcrypt-dev
)
test_pkgs=(
  git openssl libgtest-dev libgmock-dev libbenchmark-dev
  prometheus prometheus-alertmanager jsonnet python3 python3-yaml curl dpkg-dev
  clang libclang-rt-14-dev wrk python3-prometheus-client tinyproxy chromium
)
runtime_pkgs=(
  ca-certificates libprometheus-cpp-core1.0 libcpp-httplib0.11 libssl3
  libyaml-cpp0.7 libcrypt1 zlib1g libbrotli1
)
container_pkgs=(podman buildah runc debootstrap)
# Debian's kubectl renders the Kubernetes layout for tests/deploy; a kubectl
# from elsewhere (newer, and owning the same path) does that already.
command -v kubectl >/dev/null || test_pkgs+=(kubernetes-client)

case "${1:-}" in
  "") pkgs=("${build_pkgs[@]}" "${test_pkgs[@]}") ;;
  --build-only) pkgs=("${build_pkgs[@]}") ;;
  --runtime) pkgs=("${runtime_pkgs[@]}") ;;
  --container) pkgs=("${container_pkgs[@]}") ;;
  *) echo "usage: $0 [--build-only|--runtime|--container]" >&2; exit 2 ;;
esac

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
((${#missing[@]})) || exit 0

echo "install-deps: installing ${missing[*]}"
SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
# Debian's prometheus and prometheus-alertmanager packages (wanted here for
# promtool, amtool and the end-to-end tests) and tinyproxy (the proxy test)
# start servers from their maintainer scripts. A policy-rc.d that answers 101
# forbids every service start during this install; an existing one (container
# images ship one) is left as it is.
policy=/usr/sbin/policy-rc.d
marker="installed by coinw-exporter scripts/install-deps.sh"
# Ours also when an interrupted run left it behind.
if [[ ! -e $policy ]] || grep -qF "$marker" "$policy"; then
  printf '#!/bin/sh\n# %s for the duration of apt-get\nexit 101\n' "$marker" | $SUDO tee "$policy" >/dev/null
  $SUDO chmod 0755 "$policy"
  trap '$SUDO rm -f "$policy"' EXIT
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Nor should they start at the next boot: the tests start their own servers.
for service in prometheus prometheus-alertmanager tinyproxy; do
  [[ " ${missing[*]} " == *" $service "* ]] || continue
  if [[ -d /run/systemd/system ]]; then
    $SUDO systemctl disable --quiet "$service.service" || true
  else
    $SUDO update-rc.d "$service" disable >/dev/null 2>&1 || true
  fi
done
