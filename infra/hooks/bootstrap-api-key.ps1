# Creates the first project and API key through the deployed app's admin API, once per azd environment:
#   POST {MEM0_BASE_URL}/v1/admin/projects/                      {"project_id": ..., "name": ...}
#   POST {MEM0_BASE_URL}/v1/admin/projects/{project_id}/api-keys/    {"name": "azd-bootstrap"}
# with "Authorization: Admin <MEM0_ADMIN_KEY>". Prints the new API key once and stores only its id
# (MEM0_BOOTSTRAP_KEY_ID) in the azd environment. The admin key is never printed.
param(
    # How many times to retry (10 s apart) while the app is not answering yet.
    [int] $Attempts = 0
)
$ErrorActionPreference = 'Stop'

$base = if ($env:MEM0_BASE_URL) { $env:MEM0_BASE_URL } else { $env:SERVICE_API_URI }
$project = if ($env:MEM0_PROJECT_ID) { $env:MEM0_PROJECT_ID } else { 'default' }

if ($env:MEM0_BOOTSTRAP_KEY_ID) {
    Write-Host "An API key was already bootstrapped for this environment (id $env:MEM0_BOOTSTRAP_KEY_ID); create more with the admin API."
    return
}
if (-not $base -or -not $env:MEM0_ADMIN_KEY) {
    Write-Host 'Skipping API key bootstrap: MEM0_BASE_URL or MEM0_ADMIN_KEY is not set in this azd environment.'
    return
}
$base = $base.TrimEnd('/')
$headers = @{ Authorization = "Admin $env:MEM0_ADMIN_KEY" }

function Invoke-Admin([string] $path, [hashtable] $body) {
    try {
        $response = Invoke-WebRequest -Method Post -Uri "$base$path" -Headers $headers -ContentType 'application/json' `
            -Body ($body | ConvertTo-Json -Compress) -TimeoutSec 60 -SkipHttpErrorCheck
        return @{ Status = [int]$response.StatusCode; Content = $response.Content }
    }
    catch {
        return @{ Status = 0; Content = '' }
    }
}

# The app is not reachable until its code is deployed and warm: 0 (no answer), 404 (no functions yet), 5xx.
function Test-NotReady([int] $status) { return $status -in 0, 404, 502, 503, 504 }

$projectBody = @{ project_id = $project; name = $project }
$result = Invoke-Admin '/v1/admin/projects/' $projectBody
while ((Test-NotReady $result.Status) -and $Attempts -gt 0) {
    Write-Host "Waiting for $base to answer (HTTP $($result.Status))..."
    $Attempts--
    Start-Sleep -Seconds 10
    $result = Invoke-Admin '/v1/admin/projects/' $projectBody
}
if (Test-NotReady $result.Status) {
    Write-Host "The app at $base is not answering yet (HTTP $($result.Status)); the API key will be created after 'azd deploy'."
    return
}
if ($result.Status -in 401, 403) {
    Write-Host "The app refused the admin key (HTTP $($result.Status)): is Mem0__Admin__KeyHash set on the app?"
    return
}
if ($result.Status -notin 200, 201, 409) {
    Write-Host "Creating project '$project' answered HTTP $($result.Status); trying to create the key anyway."
}

$result = Invoke-Admin "/v1/admin/projects/$project/api-keys/" @{ name = 'azd-bootstrap' }
if ($result.Status -notin 200, 201) {
    Write-Host "Creating the first API key failed (HTTP $($result.Status)). Create one by hand as the README's deploy section shows."
    return
}
$created = $result.Content | ConvertFrom-Json
$key = @($created.key, $created.api_key, $created.token) | Where-Object { $_ } | Select-Object -First 1
$keyId = @($created.id, $created.key_id, 'created') | Where-Object { $_ } | Select-Object -First 1
if (-not $key) {
    Write-Host 'The admin API returned no key field; create one by hand as the README shows.'
    return
}
azd env set MEM0_BOOTSTRAP_KEY_ID "$keyId" | Out-Null

Write-Host ''
Write-Host "Mem0 API key for project '$project' (shown once, store it now):"
Write-Host ''
Write-Host "    $key"
Write-Host ''
Write-Host "Try it:  curl -H `"Authorization: Token <key>`" $base/v1/ping/"
Write-Host ''
