# Runs after `azd deploy`: the app now answers, so the first API key can be created.
$ErrorActionPreference = 'Stop'
& (Join-Path $PSScriptRoot 'bootstrap-api-key.ps1') -Attempts 12
