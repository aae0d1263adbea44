#!/usr/bin/env bash
# Runs after `azd deploy`: the app now answers, so the first API key can be created; then the smoke test proves the
# deployed API works end to end (ping, add, search, delete) and fails this hook, naming the step, when it does not.
set -euo pipefail
here="$(dirname "$0")"
MEM0_BOOTSTRAP_WAIT="${MEM0_BOOTSTRAP_WAIT:-12}" bash "$here/bootstrap-api-key.sh"

if [ "${MEM0_SKIP_SMOKE_TEST:-}" = "true" ]; then
  echo "Smoke test skipped (MEM0_SKIP_SMOKE_TEST=true). Run it any time: bash infra/hooks/smoke-test.sh"
  exit 0
fi
if [ -z "${MEM0_API_KEY:-}" ] && [ -z "${MEM0_ADMIN_KEY:-}" ]; then
  echo "Smoke test skipped: neither MEM0_API_KEY nor MEM0_ADMIN_KEY is set in this azd environment."
  exit 0
fi
# The first cold start can take a while (and the database role a few minutes): wait up to 5 minutes for the app.
MEM0_SMOKE_WAIT="${MEM0_SMOKE_WAIT:-30}" bash "$here/smoke-test.sh"
