# Runs after `azd provision`: writes local.settings.json (repository root, linked into the Functions
# project) from the deployment outputs, then bootstraps the first API key if the app is deployed already.
$ErrorActionPreference = 'Stop'
$root = Resolve-Path (Join-Path $PSScriptRoot '../..')

function Get-Output([string] $name, [string] $default = '') {
    $value = [Environment]::GetEnvironmentVariable($name)
    if ([string]::IsNullOrEmpty($value)) { return $default }
    return $value
}

# The Functions runtime and Durable state stay on Azurite locally; app data goes to the Azure resources,
# reached with your `az login` identity (the template gave it the same data-plane roles as the app).
$values = [ordered]@{
    AzureWebJobsStorage              = 'UseDevelopmentStorage=true'
    FUNCTIONS_WORKER_RUNTIME         = 'dotnet-isolated'
    Mem0__Cosmos__Endpoint           = Get-Output 'AZURE_COSMOS_ENDPOINT'
    Mem0__Cosmos__DatabaseName       = Get-Output 'AZURE_COSMOS_DATABASE_NAME' 'mem0'
    Mem0__Cosmos__CreateIfMissing    = 'false'
    Mem0__AI__Provider               = 'AzureOpenAI'
    Mem0__AI__Endpoint               = Get-Output 'AZURE_OPENAI_ENDPOINT'
    Mem0__AI__ChatModel              = Get-Output 'AZURE_OPENAI_CHAT_DEPLOYMENT'
    Mem0__AI__EmbeddingProvider      = 'AzureOpenAI'
    Mem0__AI__EmbeddingModel         = Get-Output 'AZURE_OPENAI_EMBEDDING_DEPLOYMENT'
    Mem0__AI__EmbeddingDimensions    = Get-Output 'AZURE_OPENAI_EMBEDDING_DIMENSIONS'
    Mem0__Webhooks__QueueServiceUri  = Get-Output 'AZURE_STORAGE_QUEUE_ENDPOINT'
    Mem0__Jobs__BlobServiceUri       = Get-Output 'AZURE_STORAGE_BLOB_ENDPOINT'
    Mem0__DataProtection__BlobServiceUri = Get-Output 'AZURE_STORAGE_BLOB_ENDPOINT'
    Mem0__Admin__KeyHash             = Get-Output 'MEM0_ADMIN_KEY_HASH'
}
@{ IsEncrypted = $false; Values = $values } | ConvertTo-Json -Depth 3 |
    Set-Content -Path (Join-Path $root 'local.settings.json') -Encoding utf8
Write-Host 'Wrote local.settings.json for the Functions app (Azurite for runtime storage, Azure for data).'

# On the first `azd up` the code is deployed after this hook; postdeploy retries then.
& (Join-Path $PSScriptRoot 'bootstrap-api-key.ps1') -Attempts 0
