#!/usr/bin/env bash
# Runs after `azd deploy`: the app now answers, so the first API key can be created.
set -euo pipefail
MEM0_BOOTSTRAP_WAIT="${MEM0_BOOTSTRAP_WAIT:-12}" bash "$(dirname "$0")/bootstrap-api-key.sh"
