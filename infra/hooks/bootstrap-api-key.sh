#!/usr/bin/env bash
# Creates the first project and API key through the deployed app's admin API, once per azd environment:
#   POST {MEM0_BASE_URL}/v1/admin/projects/                      {"project_id": ..., "name": ...}
#   POST {MEM0_BASE_URL}/v1/admin/projects/{project_id}/api-keys/    {"name": "azd-bootstrap"}
# with "Authorization: Admin <MEM0_ADMIN_KEY>". Prints the new API key once and stores only its id
# (MEM0_BOOTSTRAP_KEY_ID) in the azd environment. The admin key is never printed or put on a command line.
# MEM0_BOOTSTRAP_WAIT: how many times to retry (10 s apart) while the app is not answering yet.
set -euo pipefail

base="${MEM0_BASE_URL:-${SERVICE_API_URI:-}}"
project="${MEM0_PROJECT_ID:-default}"
attempts="${MEM0_BOOTSTRAP_WAIT:-0}"

if [ -n "${MEM0_BOOTSTRAP_KEY_ID:-}" ]; then
  echo "An API key was already bootstrapped for this environment (id ${MEM0_BOOTSTRAP_KEY_ID}); create more with the admin API."
  exit 0
fi
if [ -z "$base" ] || [ -z "${MEM0_ADMIN_KEY:-}" ]; then
  echo "Skipping API key bootstrap: MEM0_BASE_URL or MEM0_ADMIN_KEY is not set in this azd environment."
  exit 0
fi
if ! command -v curl >/dev/null 2>&1; then
  echo "Skipping API key bootstrap: curl is not installed. See the README's deploy section to create a key by hand."
  exit 0
fi

workdir="$(mktemp -d)"
trap 'rm -rf "$workdir"' EXIT
chmod 700 "$workdir"
# curl reads headers from a file, so the admin key never appears in the process list.
printf 'Authorization: Admin %s\nContent-Type: application/json\n' "$MEM0_ADMIN_KEY" > "$workdir/headers"

post() { # post PATH BODY -> prints the HTTP status (000: no answer); body in $workdir/response
  local code
  code="$(curl --silent --max-time 60 --output "$workdir/response" --write-out '%{http_code}' \
    -H "@$workdir/headers" -X POST --data "$2" "${base%/}$1" 2>/dev/null)" || true
  printf '%s' "${code:-000}"
}

json_field() { # json_field NAME... -> first non-empty string field of $workdir/response
  local name value
  for name in "$@"; do
    if command -v jq >/dev/null 2>&1; then
      value="$(jq -r --arg n "$name" '.[$n] // empty | tostring' "$workdir/response" 2>/dev/null || true)"
    else
      value="$(sed -n "s/.*\"$name\"[[:space:]]*:[[:space:]]*\"\\{0,1\\}\\([^\",}]*\\).*/\\1/p" "$workdir/response" | head -n 1)"
    fi
    if [ -n "$value" ]; then printf '%s' "$value"; return 0; fi
  done
  return 0
}

# The app is not reachable until its code is deployed and warm: 000 (no answer), 404 (no functions yet), 5xx.
not_ready() { case "$1" in 000|404|502|503|504) return 0 ;; *) return 1 ;; esac; }

status="$(post /v1/admin/projects/ "{\"project_id\":\"$project\",\"name\":\"$project\"}")"
while not_ready "$status" && [ "$attempts" -gt 0 ]; do
  echo "Waiting for ${base} to answer (HTTP $status)..."
  attempts=$((attempts - 1))
  sleep 10
  status="$(post /v1/admin/projects/ "{\"project_id\":\"$project\",\"name\":\"$project\"}")"
done
if not_ready "$status"; then
  echo "The app at ${base} is not answering yet (HTTP $status); the API key will be created after 'azd deploy'."
  exit 0
fi
case "$status" in
  200|201|409) ;;
  401|403) echo "The app refused the admin key (HTTP $status): is Mem0__Admin__KeyHash set on the app?"; exit 0 ;;
  *) echo "Creating project '$project' answered HTTP $status; trying to create the key anyway." ;;
esac

status="$(post "/v1/admin/projects/${project}/api-keys/" '{"name":"azd-bootstrap"}')"
if [ "$status" != 200 ] && [ "$status" != 201 ]; then
  echo "Creating the first API key failed (HTTP $status). Create one by hand as the README's deploy section shows."
  exit 0
fi

key="$(json_field key api_key token)"
key_id="$(json_field id key_id)"
if [ -z "$key" ]; then
  echo "The admin API answered HTTP $status but returned no key field; create one by hand as the README shows."
  exit 0
fi
azd env set MEM0_BOOTSTRAP_KEY_ID "${key_id:-created}" >/dev/null

echo
echo "Mem0 API key for project '${project}' (shown once, store it now):"
echo
echo "    ${key}"
echo
echo "Try it:  curl -H \"Authorization: Token <key>\" ${base%/}/v1/ping/"
echo
