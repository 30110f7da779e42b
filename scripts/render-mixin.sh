#!/usr/bin/env bash
# Renders the monitoring mixin (mixin/) into the files the project ships:
# config/alerts.yml, config/alertmanager.yml, deploy/kubernetes/prometheusrule.yaml,
# deploy/compose/alertmanager.yml and dashboards/*.json.
#   scripts/render-mixin.sh              rewrite them, after an edit of the mixin
#   scripts/render-mixin.sh --check      exit 1 naming the committed files that differ (a test runs this)
#   scripts/render-mixin.sh --out DIR [--config site.jsonnet]
#                                        a site's copy in DIR, rendered with its own _config values:
#                                        site.jsonnet holds an object, e.g. { job: 'coinw-exporter' }
# Needs jsonnet (Debian package; scripts/install-deps.sh installs it).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
usage() { sed -n '2,10p' "$0" >&2; exit 2; }
out="" config="" check=0
while (($#)); do
  case $1 in
    --check) check=1 ;;
    --out) [[ $# -ge 2 ]] || usage; out=$2; shift ;;
    --out=*) out=${1#*=} ;;
    --config) [[ $# -ge 2 ]] || usage; config=$2; shift ;;
    --config=*) config=${1#*=} ;;
    *) usage ;;
  esac
  shift
done
((check)) && [[ -n $out$config ]] && { echo "render-mixin: --check compares the committed files, rendered with the defaults" >&2; exit 2; }
command -v jsonnet >/dev/null || { echo "render-mixin: jsonnet is missing; scripts/install-deps.sh installs it" >&2; exit 1; }

args=(-J "$root/mixin")
[[ -n $config ]] && args+=(--tla-code-file "config=$(realpath "$config")")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
files=()
for dashboards in false true; do
  # The YAML files are text (-S); the dashboards objects, which jsonnet writes as JSON.
  text=(-S)
  [[ $dashboards == true ]] && text=()
  # jsonnet -m writes into existing directories only: list the files first.
  mapfile -t some < <(jsonnet -S "${args[@]}" --tla-code "dashboards=$dashboards" -e \
    'function(config={}, dashboards=false) std.join("\n", std.objectFields((import "render.jsonnet")(config, dashboards)))')
  for f in "${some[@]}"; do mkdir -p "$tmp/$(dirname "$f")"; done
  jsonnet "${args[@]}" "${text[@]}" --tla-code "dashboards=$dashboards" -m "$tmp" "$root/mixin/render.jsonnet" >/dev/null
  files+=("${some[@]}")
done

if ((check)); then
  stale=()
  for f in "${files[@]}"; do cmp -s "$tmp/$f" "$root/$f" || stale+=("$f"); done
  if ((${#stale[@]})); then
    echo "out of date, run scripts/render-mixin.sh and commit: ${stale[*]}" >&2
    exit 1
  fi
  echo "${#files[@]} rendered files up to date"
  exit 0
fi
dest=${out:-$root}
for f in "${files[@]}"; do
  mkdir -p "$dest/$(dirname "$f")"
  cp "$tmp/$f" "$dest/$f"
  echo "wrote $dest/$f"
done
