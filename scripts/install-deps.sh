#!/usr/bin/env bash
# Installs every Debian 12 package the project needs to build, test and run.
# Idempotent: apt-get runs only when something is missing. Used by the README
# commands, CI and the Dockerfile. `--runtime` installs only what the binaries need.
set -euo pipefail

build_pkgs=(
  cmake g++ make pkg-config ccache git ca-certificates openssl
  prometheus-cpp-dev libcpp-httplib-dev libssl-dev zlib1g-dev libbrotli-dev
  nlohmann-json3-dev libyaml-cpp-dev libcrypt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  prometheus python3 curl
  clang libclang-rt-14-dev wrk python3-prometheus-client
)
runtime_pkgs=(
  ca-certificates libprometheus-cpp-core1.0 libcpp-httplib0.11 libssl3
  libyaml-cpp0.7 libcrypt1 zlib1g libbrotli1
)

pkgs=("${build_pkgs[@]}")
[[ "${1:-}" == "--runtime" ]] && pkgs=("${runtime_pkgs[@]}")

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
