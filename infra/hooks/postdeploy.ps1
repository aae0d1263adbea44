# Runs after `azd deploy`: the app now answers, so the first API key can be created; then the smoke test
# (infra/hooks/smoke-test.sh, bash + curl) proves the deployed API works, when bash is available (Git Bash, WSL).
$ErrorActionPreference = 'Stop'
& (Join-Path $PSScriptRoot 'bootstrap-api-key.ps1') -Attempts 12

if ($env:MEM0_SKIP_SMOKE_TEST -eq 'true') { Write-Host 'Smoke test skipped (MEM0_SKIP_SMOKE_TEST=true).'; exit 0 }
if (-not $env:MEM0_API_KEY -and -not $env:MEM0_ADMIN_KEY) { Write-Host 'Smoke test skipped: neither MEM0_API_KEY nor MEM0_ADMIN_KEY is set.'; exit 0 }
if (-not (Get-Command bash -ErrorAction SilentlyContinue)) {
    Write-Host 'Smoke test skipped: bash is not installed. Run infra/hooks/smoke-test.sh from Git Bash or WSL.'
    exit 0
}
if (-not $env:MEM0_SMOKE_WAIT) { $env:MEM0_SMOKE_WAIT = '30' }
& bash (Join-Path $PSScriptRoot 'smoke-test.sh')
exit $LASTEXITCODE
