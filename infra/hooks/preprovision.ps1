# Creates this azd environment's admin key once and hands only its SHA-256 to the template
# (parameter adminKeyHash via MEM0_ADMIN_KEY_HASH). The key itself stays in .azure/<env>/.env.
$ErrorActionPreference = 'Stop'

$adminKey = $env:MEM0_ADMIN_KEY
if ([string]::IsNullOrEmpty($adminKey)) {
    $bytes = [System.Security.Cryptography.RandomNumberGenerator]::GetBytes(32)
    $adminKey = 'm0-admin-' + ([Convert]::ToBase64String($bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_'))
    azd env set MEM0_ADMIN_KEY $adminKey | Out-Null
    Write-Host "Generated an admin key for environment '$env:AZURE_ENV_NAME' (read it with: azd env get-value MEM0_ADMIN_KEY)."
}

$hashBytes = [System.Security.Cryptography.SHA256]::HashData([System.Text.Encoding]::UTF8.GetBytes($adminKey))
$hash = [Convert]::ToHexString($hashBytes).ToLowerInvariant()
azd env set MEM0_ADMIN_KEY_HASH $hash | Out-Null
