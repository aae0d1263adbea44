#!/usr/bin/env bash
# Runs the official Mem0 TypeScript SDK (mem0ai) and Node CLI (@mem0/cli), unchanged, against the already built
# local server. Builds nothing: run `dotnet build src/Mem0.Server -c Release` first.
# Prints one closing line "sdk-compat: N passed, N failed, N skipped"; exits non-zero when anything failed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

work="$(mktemp -d "${TMPDIR:-/tmp}/mem0-sdk-compat.XXXXXX")"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

summary_fail() {
  echo "sdk-compat: 0 passed, 1 failed, 0 skipped"
  exit 1
}

# npm ci takes minutes on a busy machine: run it once per package-lock.json, recorded by a stamp in node_modules.
# --ignore-scripts: no install script may fetch anything (better-sqlite3, a dependency of the SDK, would try to).
lock_hash="$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)"
stamp="$here/node_modules/.sdk-compat-lock.sha256"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$lock_hash" ]]; then
  echo "==> sdk-compat: node_modules matches package-lock.json (npm ci skipped)"
else
  echo "==> sdk-compat: installing the pinned SDK and CLI (npm ci)"
  if ! (cd "$here" && npm ci --ignore-scripts --no-audit --no-fund --prefer-offline --loglevel=error >"$work/npm.log" 2>&1); then
    cat "$work/npm.log"
    summary_fail
  fi
  echo "$lock_hash" >"$stamp"
fi

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}
port="$(free_port)"
host="http://127.0.0.1:$port"
api_key="m0-sdkcompat-$(node -e "console.log(require('crypto').randomBytes(18).toString('hex'))")"
admin_key="admin-$(node -e "console.log(require('crypto').randomBytes(18).toString('hex'))")"
mkdir -p "$work/data" "$work/home" "$root/.artifacts/sdk-compat/models"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
server_env=(
  "MEM0_API_KEY=$api_key"
  "Mem0__Server__DataDirectory=$work/data"
  "Mem0__Server__PrintBanner=false"
  "Mem0__Admin__Key=$admin_key"
  # The extracted model is reused between runs; the database is not.
  "Mem0__AI__Local__CacheDirectory=$root/.artifacts/sdk-compat/models"
  "Logging__LogLevel__Default=Warning"
  "ASPNETCORE_URLS=$host"
  "COSMOS_DISABLE_IMDS_ACCESS=true"
)
dll="src/Mem0.Server/bin/Release/net10.0/Mem0.Server.dll"
echo "==> sdk-compat: starting Mem0.Server on $host"
if [[ -f "$dll" ]]; then
  env "${server_env[@]}" dotnet "$dll" --urls "$host" >"$work/server.log" 2>&1 &
else
  env "${server_env[@]}" dotnet run --project src/Mem0.Server -c Release --no-build -- --urls "$host" >"$work/server.log" 2>&1 &
fi
server_pid=$!

ready=0
for _ in $(seq 1 300); do
  if ! kill -0 "$server_pid" 2>/dev/null; then break; fi
  code="$(node -e "
    fetch('$host/v1/ping/', { headers: { Authorization: 'Token $api_key' } })
      .then(r => console.log(r.status)).catch(() => console.log(0))")"
  if [[ "$code" == "200" ]]; then ready=1; break; fi
  sleep 0.2
done
if [[ $ready -ne 1 ]]; then
  echo "sdk-compat: the server did not answer /v1/ping/; its log:"
  cat "$work/server.log"
  summary_fail
fi

echo "==> sdk-compat: running node:test"
set +e
# One file at a time: the files share one server and project, and the webhook test relies on being alone.
# HOME and MEM0_DIR point at a temporary directory so neither the SDK nor the CLI touches the real ~/.mem0;
# MEM0_TELEMETRY=false is the documented switch that stops both from posting usage events.
env \
  HOME="$work/home" MEM0_DIR="$work/home/.mem0" MEM0_TELEMETRY=false NO_COLOR=1 \
  MEM0_TEST_HOST="$host" MEM0_TEST_API_KEY="$api_key" MEM0_TEST_ADMIN_KEY="$admin_key" \
  MEM0_TEST_EGRESS_LOG="$work/egress.log" \
  node --test --test-concurrency=1 --test-reporter=tap "$here/" >"$work/tap.txt" 2>&1
node_exit=$?
set -e
cat "$work/tap.txt"

count() { sed -n "s/^# $1 \([0-9][0-9]*\)$/\1/p" "$work/tap.txt" | tail -1; }
passed="$(count pass)"; failed="$(count fail)"; skipped="$(count skipped)"; todo="$(count todo)"; cancelled="$(count cancelled)"
passed=${passed:-0}; failed=${failed:-0}; skipped=${skipped:-0}
failed=$((failed + ${cancelled:-0}))
skipped=$((skipped + ${todo:-0}))
if [[ $node_exit -ne 0 && $failed -eq 0 ]]; then failed=1; fi
if [[ -s "$work/egress.log" ]]; then
  echo "sdk-compat: something tried to reach an address off this machine (blocked):"
  cat "$work/egress.log"
  failed=$((failed + 1))
fi
if [[ $failed -ne 0 ]]; then
  echo "--- server log (tail) ---"
  tail -40 "$work/server.log"
fi

echo "sdk-compat: $passed passed, $failed failed, $skipped skipped"
[[ $failed -eq 0 ]]
