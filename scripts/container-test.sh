#!/usr/bin/env bash
# Builds the exporter and simulator images from the Dockerfile and runs them:
# the exporter container reaches the simulator container, /metrics is scraped
# through the port published on 127.0.0.1, and the images' HEALTHCHECKs pass
# (and fail for a bad URL). Cleans up its containers; keeps the images so that
# a rerun only rebuilds what changed.
#
# Engine: docker when a Docker daemon answers, podman otherwise. With podman,
# no registry is needed: the base image is a Debian 12 minbase made with
# debootstrap from this machine's apt sources, cached as
# localhost/coinw-debian:12-slim (delete it to refresh: podman rmi ...).
# COINW_CONTAINER_BASE=IMAGE uses another base (e.g. debian:12-slim).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS

if docker info >/dev/null 2>&1; then
  engine=(docker)
  run_opts=()
  build_opts=()
else
  scripts/install-deps.sh --container
  # runc: crun is not installed here. Explicit ulimits: podman's defaults can
  # exceed what this (nested) host allows, and then no container starts.
  nofile=$(ulimit -Sn); nproc=$(ulimit -Su)
  [[ $nofile == unlimited || $nofile -gt 65536 ]] && nofile=65536
  [[ $nproc == unlimited || $nproc -gt 32768 ]] && nproc=32768
  engine=(podman --runtime runc)
  run_opts=(--ulimit "nofile=${nofile}:${nofile}" --ulimit "nproc=${nproc}:${nproc}")
  # The OCI image format has no HEALTHCHECK; Docker's keeps it.
  build_opts=(--format docker)
fi
echo "container-test: ${engine[*]}"

base=${COINW_CONTAINER_BASE:-}
if [[ -z $base ]]; then
  base=localhost/coinw-debian:12-slim
  if [[ ${engine[0]} == docker ]]; then
    base=debian:12-slim
  elif ! podman image exists "$base"; then
    # The mirror and suites of this machine's apt sources (deb822 or one-line).
    mirror=$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)
    [[ -n $mirror ]] || mirror=$(awk '$1 == "deb" {print $2; exit}' /etc/apt/sources.list)
    rootfs=$(mktemp -d)
    trap 'rm -rf "$rootfs"' EXIT
    echo "container-test: debootstrap bookworm from $mirror"
    debootstrap --variant=minbase --include=ca-certificates bookworm "$rootfs" "$mirror" >/dev/null
    rm -f "$rootfs"/etc/apt/sources.list
    cp /etc/apt/sources.list.d/*.sources "$rootfs"/etc/apt/sources.list.d/ 2>/dev/null || true
    [[ -f /etc/apt/sources.list ]] && cp /etc/apt/sources.list "$rootfs"/etc/apt/
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -c . | podman import --change 'CMD ["bash"]' - "$base" >/dev/null 2>&1
    rm -rf "$rootfs"
    trap - EXIT
    echo "container-test: base image ready after $((SECONDS - start)) s"
  fi
fi

revision=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
version=$(sed -n 's/^project(coinw_exporter VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
source_url=$(git remote get-url origin 2>/dev/null || echo "https://coinw-exporter.invalid/source")
# VERSION is left to the Dockerfile's default: it must be the project's.
build=("${engine[@]}" build "${build_opts[@]}" --network=host "${run_opts[@]}" --build-arg "BASE=$base"
       --build-arg "REVISION=$revision" --build-arg "SOURCE_URL=$source_url")
"${build[@]}" --target build -t localhost/coinw-build:test . >/dev/null
"${build[@]}" --target sim -t localhost/coinw-sim:test . >/dev/null
"${build[@]}" --target exporter -t localhost/coinw-exporter:test . >/dev/null
echo "container-test: images built after $((SECONDS - start)) s"

for image in coinw-sim coinw-exporter; do
  user=$("${engine[@]}" image inspect -f '{{.Config.User}}' "localhost/$image:test")
  [[ $user =~ ^[1-9][0-9]*(:[0-9]+)?$ ]] || { echo "FAIL $image runs as '$user', not a numeric non-root user"; exit 1; }
  for want in "revision=$revision" "version=$version" "source=$source_url" "url=$source_url" \
              "documentation=file:///usr/share/doc/coinw-exporter/README.md" "title=$image"; do
    key=${want%%=*}
    label=$("${engine[@]}" image inspect -f "{{index .Config.Labels \"org.opencontainers.image.$key\"}}" "localhost/$image:test")
    [[ $label == "${want#*=}" ]] || { echo "FAIL $image label $key is '$label', expected '${want#*=}'"; exit 1; }
  done
  volumes=$("${engine[@]}" image inspect -f '{{json .Config.Volumes}}' "localhost/$image:test")
  [[ $volumes == null || $volumes == "{}" ]] || { echo "FAIL $image declares volumes $volumes"; exit 1; }
done

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
name=coinw-ct-$$
work=$(mktemp -d)
cleanup() {
  # One at a time: the exporter uses the simulator's network namespace, so
  # the simulator cannot go first.
  "${engine[@]}" rm -f "$name-exporter" >/dev/null 2>&1 || true
  "${engine[@]}" rm -f "$name-sim" >/dev/null 2>&1 || true
  # Earlier builds' images that no tag uses any more (the cached layers of
  # this build stay: they are parents of the tagged images).
  [[ ${engine[0]} == podman ]] && podman image prune -f >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
# The exporter joins the simulator's network namespace (both engines support
# it), so it reaches the simulator on 127.0.0.1 and its port is published there.
cp config/demo.yml "$work/config.yml"
chmod 0644 "$work/config.yml"
"${engine[@]}" run -d --name "$name-sim" "${run_opts[@]}" -p "127.0.0.1:${port}:9866" \
  localhost/coinw-sim:test --listen=127.0.0.1:8790 >/dev/null
"${engine[@]}" run -d --name "$name-exporter" "${run_opts[@]}" --network "container:$name-sim" \
  --read-only --cap-drop ALL --security-opt no-new-privileges \
  -v "$work/config.yml:/etc/coinw-exporter/config.yml:ro" localhost/coinw-exporter:test >/dev/null

fail() {
  echo "FAIL $*"
  for c in sim exporter; do echo "--- $c log"; "${engine[@]}" logs "$name-$c" 2>&1 | tail -20; done
  exit 1
}
ok='coinw_collector_success{account="demo",collector="sub_accounts"} 1'
for _ in $(seq 60); do
  curl -fsS --max-time 20 "http://127.0.0.1:${port}/metrics" 2>/dev/null | grep -qF "$ok" && break
  sleep 1
done
body=$(curl -fsS --max-time 20 "http://127.0.0.1:${port}/metrics") || fail "no /metrics on 127.0.0.1:${port}"
grep -qF "$ok" <<<"$body" || fail "/metrics through 127.0.0.1:${port} has no sub-account data from the simulator"
grep -q '^coinw_invitees{' <<<"$body" || fail "/metrics has no invitee data"

# The images' HEALTHCHECK commands, run now instead of waiting for their interval.
health() {
  if [[ ${engine[0]} == docker ]]; then
    for _ in $(seq 60); do
      [[ $(docker inspect -f '{{.State.Health.Status}}' "$1") == healthy ]] && return 0
      sleep 1
    done
    return 1
  fi
  podman healthcheck run "$1" >/dev/null
}
health "$name-sim" || fail "the simulator's HEALTHCHECK does not pass"
health "$name-exporter" || fail "the exporter's HEALTHCHECK does not pass"
# ...and the check can fail: a path that answers 404.
if "${engine[@]}" exec "$name-exporter" coinw_healthcheck http://127.0.0.1:9866/no-such-page; then
  fail "coinw_healthcheck passed for a 404"
fi
uid=$("${engine[@]}" exec "$name-exporter" sh -c 'id -u' 2>/dev/null || true)
[[ $uid == 10001 ]] || fail "the exporter runs as uid '$uid', not 10001"

info=$(grep '^coinw_exporter_build_info' <<<"$body" || true)
echo "container-test: ${info:-no coinw_exporter_build_info}"
cleanup
trap - EXIT
left=$("${engine[@]}" ps -a --filter "name=$name" --format '{{.Names}}')
[[ -z $left ]] || { echo "FAIL containers left behind: $left"; exit 1; }
echo "container-test: passed in $((SECONDS - start)) s (${engine[*]}, base $base, revision $revision)"
