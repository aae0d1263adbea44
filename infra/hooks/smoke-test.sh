#!/usr/bin/env bash
# Post-deploy smoke test of a Mem0 API (the deployed Function app, or any Mem0.Server): ping, add (infer=false),
# search, delete, and check the memory is gone. Prints one line per step and what failed; exits 1 when a step failed.
#
#   bash infra/hooks/smoke-test.sh [BASE_URL]
#
# BASE_URL defaults to MEM0_BASE_URL (or SERVICE_API_URI, both set by `azd provision`). The API key comes from
# MEM0_API_KEY; without one, MEM0_ADMIN_KEY (in the azd environment) creates a temporary key in project
# MEM0_PROJECT_ID (default "default"), revoked when the test ends. Keys are never printed or put on a command line.
# MEM0_SMOKE_WAIT: how many times to retry the ping (10 s apart) while the app is starting (503, 502, no answer).
# The test writes one memory for a user id of its own ("smoke-<random>") and deletes it again.
set -uo pipefail

base="${1:-${MEM0_BASE_URL:-${SERVICE_API_URI:-}}}"
base="${base%/}"
project="${MEM0_PROJECT_ID:-default}"
attempts="${MEM0_SMOKE_WAIT:-0}"

if [ -z "$base" ]; then
  echo "smoke test: no URL (pass it as the first argument or set MEM0_BASE_URL)." >&2
  exit 2
fi
if ! command -v curl >/dev/null 2>&1; then
  echo "smoke test: curl is not installed." >&2
  exit 2
fi

workdir="$(mktemp -d)"
chmod 700 "$workdir"
passed=0
failed=0
temp_key_id=""

ok() { passed=$((passed + 1)); printf 'ok    %s\n' "$1"; }
fail() { # fail STEP STATUS: prints the status and the start of the answer
  failed=$((failed + 1))
  printf 'FAIL  %s: HTTP %s' "$1" "$2"
  if [ -s "$workdir/response" ]; then printf ' %s' "$(head -c 400 "$workdir/response" | tr '\n' ' ')"; fi
  printf '\n'
}
skip() { printf 'skip  %s (an earlier step failed)\n' "$1"; }

# call METHOD PATH [BODY] -> prints the HTTP status (000: no answer); the body is in $workdir/response.
# Headers come from a file so no key appears in the process list.
call() {
  local code
  : > "$workdir/response"
  if [ $# -ge 3 ]; then
    code="$(curl --silent --max-time 60 --output "$workdir/response" --write-out '%{http_code}' \
      -H "@$workdir/headers" -X "$1" --data "$3" "$base$2" 2>/dev/null)" || true
  else
    code="$(curl --silent --max-time 60 --output "$workdir/response" --write-out '%{http_code}' \
      -H "@$workdir/headers" -X "$1" "$base$2" 2>/dev/null)" || true
  fi
  printf '%s' "${code:-000}"
}

first_string() { # first_string NAME -> the first "NAME": "value" in the response
  sed -n "s/.*\"$1\"[[:space:]]*:[[:space:]]*\"\\([^\"]*\\)\".*/\\1/p" "$workdir/response" | head -n 1
}
first_id() { # the first "id" string of the response (tr keeps one object per line so sed sees the first)
  tr ',{' '\n\n' < "$workdir/response" | sed -n 's/^[[:space:]]*"id"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' | head -n 1
}

use_headers() { printf 'Authorization: %s %s\nContent-Type: application/json\nAccept: application/json\n' "$1" "$2" > "$workdir/headers"; }

cleanup() {
  if [ -n "$temp_key_id" ] && [ -n "${MEM0_ADMIN_KEY:-}" ]; then
    use_headers Admin "$MEM0_ADMIN_KEY"
    status="$(call DELETE "/v1/admin/projects/${project}/api-keys/${temp_key_id}/")"
    case "$status" in 200|204) ;; *) echo "warning: revoking the temporary smoke-test key ${temp_key_id} answered HTTP $status; revoke it with the admin API." ;; esac
  fi
  rm -rf "$workdir"
}
trap cleanup EXIT

echo "Smoke test of ${base}"

# The app may still be starting: 000 (no answer), 502/504 (front end), 503 (database not ready yet), 404 (no code yet).
# A 404 with our JSON error body is an answer (e.g. no such project), not an app that is still starting.
not_ready() {
  case "$1" in
    000|502|503|504) return 0 ;;
    404) ! grep -q '"detail"' "$workdir/response" ;;
    *) return 1 ;;
  esac
}

if [ -n "${MEM0_API_KEY:-}" ]; then
  use_headers Token "$MEM0_API_KEY"
elif [ -n "${MEM0_ADMIN_KEY:-}" ]; then
  use_headers Admin "$MEM0_ADMIN_KEY"
  status="$(call POST "/v1/admin/projects/${project}/api-keys/" '{"name":"smoke-test (temporary)"}')"
  while not_ready "$status" && [ "$attempts" -gt 0 ]; do
    echo "      waiting for the app (HTTP $status)..."
    attempts=$((attempts - 1)); sleep 10
    status="$(call POST "/v1/admin/projects/${project}/api-keys/" '{"name":"smoke-test (temporary)"}')"
  done
  if [ "$status" = 404 ]; then
    status="$(call POST /v1/admin/projects/ "{\"project_id\":\"$project\",\"name\":\"$project\"}")"
    case "$status" in 200|201|409) status="$(call POST "/v1/admin/projects/${project}/api-keys/" '{"name":"smoke-test (temporary)"}')" ;; esac
  fi
  key="$(first_string key)"
  if [ "$status" != 201 ] && [ "$status" != 200 ] || [ -z "$key" ]; then
    fail "create a temporary API key with the admin key" "$status"
    echo "smoke test: $passed passed, $failed failed"
    exit 1
  fi
  temp_key_id="$(first_id)"
  ok "create a temporary API key (revoked at the end)"
  use_headers Token "$key"
else
  echo "smoke test: set MEM0_API_KEY (or MEM0_ADMIN_KEY to use a temporary key)." >&2
  exit 2
fi

# 1. ping
status="$(call GET /v1/ping/)"
while not_ready "$status" && [ "$attempts" -gt 0 ]; do
  echo "      waiting for the app (HTTP $status)..."
  attempts=$((attempts - 1)); sleep 10
  status="$(call GET /v1/ping/)"
done
if [ "$status" = 200 ] && grep -q '"status"[[:space:]]*:[[:space:]]*"ok"' "$workdir/response"; then
  ok "ping (project $(first_string project_id))"
else
  fail "ping" "$status"
fi

# 2. add one memory verbatim (no language model involved; embeddings are)
run="$(date +%s)-$$"
user="smoke-${run}"
word="aubergine${$}"
memory_id=""
status="$(call POST /v3/memories/add/ "{\"messages\":[{\"role\":\"user\",\"content\":\"Smoke test ${run}: my code word is ${word}.\"}],\"user_id\":\"${user}\",\"infer\":false,\"metadata\":{\"source\":\"smoke-test\"}}")"
if [ "$status" = 200 ] && grep -q '"SUCCEEDED"' "$workdir/response"; then
  memory_id="$(first_id)"
fi
if [ -n "$memory_id" ]; then ok "add (memory ${memory_id})"; else fail "add" "$status"; fi

# 3. search finds it
if [ -n "$memory_id" ]; then
  status="$(call POST /v3/memories/search/ "{\"query\":\"What is my code word?\",\"filters\":{\"user_id\":\"${user}\"}}")"
  if [ "$status" = 200 ] && grep -q "\"${memory_id}\"" "$workdir/response"; then ok "search"; else fail "search (expected memory ${memory_id})" "$status"; fi
else
  skip "search"
fi

# 4. delete it, 5. and it is gone
if [ -n "$memory_id" ]; then
  status="$(call DELETE "/v1/memories/${memory_id}/")"
  case "$status" in
    200|204) ok "delete" ;;
    *) fail "delete" "$status" ;;
  esac
  status="$(call GET "/v1/memories/${memory_id}/")"
  if [ "$status" = 404 ]; then ok "deleted memory is gone"; else fail "deleted memory is gone (expected 404)" "$status"; fi
else
  skip "delete"
fi

echo "smoke test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
