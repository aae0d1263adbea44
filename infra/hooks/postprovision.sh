#!/usr/bin/env bash
# Runs after `azd provision`: writes local.settings.json (repository root, linked into the Functions
# project) from the deployment outputs, then bootstraps the first API key if the app is deployed already.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"

json_escape() { printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g'; }

setting() { printf '    "%s": "%s"' "$1" "$(json_escape "$2")"; }

{
  echo '{'
  echo '  "IsEncrypted": false,'
  echo '  "Values": {'
  # The Functions runtime and Durable state stay on Azurite locally; app data goes to the Azure resources,
  # reached with your `az login` identity (the template gave it the same data-plane roles as the app).
  setting AzureWebJobsStorage "UseDevelopmentStorage=true"; echo ','
  setting FUNCTIONS_WORKER_RUNTIME "dotnet-isolated"; echo ','
  setting Mem0__Cosmos__Endpoint "${AZURE_COSMOS_ENDPOINT:-}"; echo ','
  setting Mem0__Cosmos__DatabaseName "${AZURE_COSMOS_DATABASE_NAME:-mem0}"; echo ','
  setting Mem0__Cosmos__CreateIfMissing "false"; echo ','
  setting Mem0__AI__Provider "AzureOpenAI"; echo ','
  setting Mem0__AI__Endpoint "${AZURE_OPENAI_ENDPOINT:-}"; echo ','
  setting Mem0__AI__ChatModel "${AZURE_OPENAI_CHAT_DEPLOYMENT:-}"; echo ','
  setting Mem0__AI__EmbeddingProvider "AzureOpenAI"; echo ','
  setting Mem0__AI__EmbeddingModel "${AZURE_OPENAI_EMBEDDING_DEPLOYMENT:-}"; echo ','
  setting Mem0__AI__EmbeddingDimensions "${AZURE_OPENAI_EMBEDDING_DIMENSIONS:-}"; echo ','
  setting Mem0__Webhooks__QueueServiceUri "${AZURE_STORAGE_QUEUE_ENDPOINT:-}"; echo ','
  setting Mem0__Jobs__BlobServiceUri "${AZURE_STORAGE_BLOB_ENDPOINT:-}"; echo ','
  setting Mem0__DataProtection__BlobServiceUri "${AZURE_STORAGE_BLOB_ENDPOINT:-}"; echo ','
  setting Mem0__Admin__KeyHash "${MEM0_ADMIN_KEY_HASH:-}"; echo
  echo '  }'
  echo '}'
} > "$root/local.settings.json"
echo "Wrote local.settings.json for the Functions app (Azurite for runtime storage, Azure for data)."

# On the first `azd up` the code is deployed after this hook; postdeploy retries then.
MEM0_BOOTSTRAP_WAIT=0 bash "$root/infra/hooks/bootstrap-api-key.sh"
