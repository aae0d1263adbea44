#!/usr/bin/env bash
# Runs every test on a fresh machine: installs Azurite (npm), starts it on free loopback ports,
# validates the infrastructure (Bicep build + lint), runs the whole .NET test suite, and prints
# one closing line "N passed, N failed, N skipped". Exits non-zero when anything failed.
set -euo pipefail
cd "$(dirname "$0")"
root="$PWD"
artifacts="$root/.artifacts"
rm -rf "$artifacts/test-results" "$artifacts/azurite" "$artifacts/screenshots"
mkdir -p "$artifacts/test-results" "$artifacts/azurite"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# The Cosmos SDK must never call the instance-metadata address off this machine; plan queries locally.
export COSMOS_DISABLE_IMDS_ACCESS=true
export AZURE_COSMOS_USE_QUERY_PLAN_INTEROP_LINUX=true
export AZURE_COSMOS_OPTIMISTIC_DIRECT_EXECUTION_ENABLED=true
export Logging__LogLevel__Default=Warning

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

# The dashboard's browser tests drive Debian's chromium through Playwright (its own browser download is blocked).
# In CI they fail, not skip, without it, so install it here on a fresh machine.
echo "==> Checking chromium (dashboard browser tests)"
if ! command -v chromium >/dev/null 2>&1; then
  as_root=()
  if [[ $(id -u) -ne 0 ]] && command -v sudo >/dev/null 2>&1; then as_root=(sudo); fi
  "${as_root[@]}" apt-get update -qq >"$artifacts/apt.log" 2>&1 && "${as_root[@]}" apt-get install -y -qq chromium >>"$artifacts/apt.log" 2>&1 \
    || echo "warning: could not install chromium (see .artifacts/apt.log); the dashboard tests will fail in CI"
fi
export MEM0_CHROMIUM="${MEM0_CHROMIUM:-$(command -v chromium || echo /usr/bin/chromium)}"
mkdir -p "$artifacts/screenshots"

echo "==> Installing Azurite"
(cd eng/azurite && npm ci --no-audit --no-fund --loglevel=error >/dev/null)

blob_port=$(free_port); queue_port=$(free_port); table_port=$(free_port)
echo "==> Starting Azurite on 127.0.0.1 (blob $blob_port, queue $queue_port, table $table_port)"
eng/azurite/node_modules/.bin/azurite --silent --disableTelemetry --skipApiVersionCheck --loose \
  --location "$artifacts/azurite" \
  --blobHost 127.0.0.1 --blobPort "$blob_port" \
  --queueHost 127.0.0.1 --queuePort "$queue_port" \
  --tableHost 127.0.0.1 --tablePort "$table_port" >"$artifacts/azurite.log" 2>&1 &
azurite_pid=$!
trap 'kill "$azurite_pid" 2>/dev/null || true' EXIT
# The account key below is Azurite's fixed, publicly documented development key, not a secret.
export MEM0_TEST_AZURITE_CONNECTION_STRING="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$blob_port/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue_port/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table_port/devstoreaccount1;"

infra_failed=0
if [[ -f infra/validate.sh ]]; then
  echo "==> Validating infrastructure (bicep build + lint)"
  bash infra/validate.sh || infra_failed=1
fi

echo "==> Restoring (locked mode: every package at the version in its project's packages.lock.json)"
if ! dotnet restore Mem0.Functions.sln --locked-mode >"$artifacts/restore.log" 2>&1; then
  grep -E "error" "$artifacts/restore.log" | sort -u | head -40
  echo "restore failed: a package resolved differently from the committed lock files (full log: .artifacts/restore.log)"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

echo "==> Building"
if ! dotnet build Mem0.Functions.sln -c Release --no-restore >"$artifacts/build.log" 2>&1; then
  grep -E "error|Error" "$artifacts/build.log" | sort -u | head -40
  echo "build failed (full log: .artifacts/build.log)"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi
tail -3 "$artifacts/build.log"

echo "==> Running tests"
set +e
dotnet test Mem0.Functions.sln -c Release --no-build \
  --logger "trx" --logger "console;verbosity=minimal" \
  --results-directory "$artifacts/test-results"
test_exit=$?
set -e
# The hostile-input suite's summary (its test output, kept in the trx): "N probes, 0 answered 5xx".
grep -ho '[0-9]* probes, [0-9]* answered 5xx' "$artifacts"/test-results/*.trx 2>/dev/null | head -1 || true

# The official Mem0 npm SDK and CLI against the built local server (see tests/sdk-compat/).
echo "==> Running the official SDK and CLI against the local server"
set +e
bash tests/sdk-compat/run.sh 2>&1 | tee "$artifacts/sdk-compat.log"
sdk_exit=${PIPESTATUS[0]}
set -e

passed=0; failed=0; skipped=0
sdk_line=$(grep -E '^sdk-compat: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped' "$artifacts/sdk-compat.log" | tail -1 || true)
if [[ -n "$sdk_line" ]]; then
  read -r sdk_p sdk_f sdk_s < <(echo "$sdk_line" | sed -E 's/^sdk-compat: ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped.*/\1 \2 \3/')
  passed=$((passed + sdk_p)); failed=$((failed + sdk_f)); skipped=$((skipped + sdk_s))
fi
if [[ $sdk_exit -ne 0 && ( -z "$sdk_line" || ${sdk_f:-0} -eq 0 ) ]]; then failed=$((failed + 1)); echo "sdk-compat run failed (exit $sdk_exit)"; fi
for trx in "$artifacts"/test-results/*.trx; do
  [[ -f "$trx" ]] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  total=$(get total); executed=$(get executed); p=$(get passed); f=$(get failed); e=$(get error)
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0}))
  skipped=$((skipped + ${total:-0} - ${executed:-0}))
done
if [[ $infra_failed -ne 0 ]]; then failed=$((failed + 1)); echo "infra/validate.sh failed"; fi
if [[ $test_exit -ne 0 && $failed -eq 0 ]]; then failed=1; echo "dotnet test exited $test_exit"; fi

echo "$passed passed, $failed failed, $skipped skipped"
[[ $failed -eq 0 ]]
