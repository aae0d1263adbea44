#!/usr/bin/env bash
# Creates this azd environment's admin key once and hands only its SHA-256 to the template
# (parameter adminKeyHash via MEM0_ADMIN_KEY_HASH). The key itself stays in .azure/<env>/.env.
set -euo pipefail

sha256_hex() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then shasum -a 256 | cut -d' ' -f1
  else openssl dgst -sha256 -r | cut -d' ' -f1
  fi
}

if [ -z "${MEM0_ADMIN_KEY:-}" ]; then
  MEM0_ADMIN_KEY="m0-admin-$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
  azd env set MEM0_ADMIN_KEY "$MEM0_ADMIN_KEY" >/dev/null
  echo "Generated an admin key for environment '${AZURE_ENV_NAME:-}' (read it with: azd env get-value MEM0_ADMIN_KEY)."
fi

hash="$(printf '%s' "$MEM0_ADMIN_KEY" | sha256_hex | tr 'A-F' 'a-f')"
azd env set MEM0_ADMIN_KEY_HASH "$hash" >/dev/null
