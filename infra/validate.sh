#!/usr/bin/env bash
# Offline validation of the provisioning, run by CI:
#   1. bicep build + bicep lint of infra/main.bicep (and every module) with zero diagnostics;
#   2. azure.yaml and main.parameters.json well-formed and referencing what exists.
# The Bicep CLI comes from the NuGet package pinned in eng/tools/bicep/Bicep.Tools.csproj
# (set BICEP_PATH to use another binary, e.g. on macOS or Windows).
# Leaves the compiled template in .artifacts/infra/main.json for the container-layout test.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
tools_project="eng/tools/bicep/Bicep.Tools.csproj"
out_dir=".artifacts/infra"
mkdir -p "$out_dir"

locate_bicep() {
  if [ -n "${BICEP_PATH:-}" ]; then printf '%s' "$BICEP_PATH"; return; fi
  local version
  version="$(sed -n 's/.*Azure.Bicep.CommandLine.linux-x64" Version="\[\([0-9.]*\)\]".*/\1/p' "$tools_project")"
  printf '%s' "${NUGET_PACKAGES:-$HOME/.nuget/packages}/azure.bicep.commandline.linux-x64/${version}/tools/bicep"
}

bicep="$(locate_bicep)"
if [ ! -f "$bicep" ]; then
  echo "Restoring the Bicep CLI ($tools_project)..."
  dotnet restore "$tools_project" --verbosity quiet > "$out_dir/restore.log" 2>&1 || { cat "$out_dir/restore.log"; exit 1; }
fi
[ -f "$bicep" ] || { echo "error: Bicep CLI not found at $bicep" >&2; exit 1; }
# NuGet extracts package files without the execute bit.
[ -x "$bicep" ] || chmod +x "$bicep"
echo "Bicep: $("$bicep" --version)"

failed=0
# Any diagnostic (error, warning or info) fails validation; bicepconfig.json raises the rules we rely on to errors.
run_clean() { # run_clean LABEL STDOUT_FILE COMMAND... : fails when the command fails or prints any diagnostic
  local label="$1" output="$2" log
  shift 2
  log="$(mktemp)"
  if ! "$@" 2> "$log" > "$output" || [ -s "$log" ]; then
    echo "FAIL $label" >&2
    cat "$log" >&2
    failed=1
  else
    echo "ok   $label"
  fi
  rm -f "$log"
}

rm -f "$out_dir/main.json"
run_clean "bicep build infra/main.bicep" "$out_dir/main.json" "$bicep" build infra/main.bicep --stdout
# Lint covers the modules main.bicep references as well.
run_clean "bicep lint infra/main.bicep" /dev/null "$bicep" lint infra/main.bicep

if [ -s "$out_dir/main.json" ]; then
  if node infra/scripts/check-azd-config.mjs "$root" "$out_dir/main.json"; then
    echo "ok   azure.yaml and main.parameters.json"
  else
    echo "FAIL azure.yaml and main.parameters.json" >&2
    failed=1
  fi
fi

if [ "$failed" -ne 0 ]; then
  echo "infra validation failed" >&2
  exit 1
fi
echo "infra validation passed"
