// Everything the Mem0 Functions app needs, keyless: azd provisions this at subscription scope.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; seeds the resource token and tags every resource.')
param environmentName string

@minLength(1)
@description('Region for every resource (Flex Consumption, Cosmos DB vector search and the models must be available there).')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Principal id of the deploying user or pipeline; gets the same data-plane roles as the app so it can run the app locally. Empty skips it.')
param principalId string = ''

@description('Principal type of principalId.')
@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param principalType string = 'User'

@description('Hex SHA-256 of the admin key (computed by the preprovision hook). Empty leaves the admin API disabled.')
@secure()
param adminKeyHash string = ''

// Every name can be overridden; empty means "derive from abbreviations.json and the resource token".
@description('Resource group name override.')
param resourceGroupName string = ''

@description('User-assigned identity name override.')
param identityName string = ''

@description('Log Analytics workspace name override.')
param logAnalyticsName string = ''

@description('Application Insights name override.')
param applicationInsightsName string = ''

@description('Storage account name override (3-24 lowercase letters and digits).')
param storageAccountName string = ''

@description('Cosmos DB account name override.')
param cosmosAccountName string = ''

@description('Azure OpenAI account name override (also its subdomain).')
param openAiAccountName string = ''

@description('Flex Consumption plan name override.')
param functionPlanName string = ''

@description('Function app name override (also its host name).')
param functionAppName string = ''

@description('Cosmos DB serverless (pay per request) instead of provisioned autoscale throughput.')
param cosmosServerless bool = true

// Defaults checked against Azure OpenAI's model retirement table on 2026-12-06: gpt-4.1-mini 2025-04-14 retired on
// 2026-10-14; gpt-5.4-mini 2026-03-17 is GA and open to new deployments until 2027-03. List what a region offers with
// `az cognitiveservices model list -l <region>` (README, deploy section) and override both parameters together.
@description('Chat model used for fact extraction (it must accept temperature 0: gpt-5.4 models do at their default reasoning effort, none).')
param chatModelName string = 'gpt-5.4-mini'

@description('Chat model version.')
param chatModelVersion string = '2026-03-17'

@description('Chat deployment name override (defaults to the model name).')
param chatDeploymentName string = ''

@description('Chat deployment SKU.')
param chatDeploymentSkuName string = 'GlobalStandard'

@description('Chat deployment capacity in thousands of tokens per minute.')
@minValue(1)
param chatDeploymentCapacity int = 50

@description('Embedding model; it must produce at least the vector dimensions in infra/cosmos-containers.json.')
param embeddingModelName string = 'text-embedding-3-small'

@description('Embedding model version.')
param embeddingModelVersion string = '1'

@description('Embedding deployment name override (defaults to the model name).')
param embeddingDeploymentName string = ''

@description('Embedding deployment SKU.')
param embeddingDeploymentSkuName string = 'GlobalStandard'

@description('Embedding deployment capacity in thousands of tokens per minute.')
@minValue(1)
param embeddingDeploymentCapacity int = 120

@description('Largest request body in bytes, for the host (FUNCTIONS_REQUEST_BODY_SIZE_LIMIT) and the import route alike; the host refuses larger bodies before the app sees them. 104857600 (100 MiB) is the host default.')
@minValue(1048576)
param maxRequestBodyBytes int = 104857600

@description('Upper bound of Function app instances.')
@minValue(40)
@maxValue(1000)
param functionMaximumInstanceCount int = 40

@description('Memory per Function app instance in MB.')
@allowed([
  512
  2048
  4096
])
param functionInstanceMemoryMB int = 2048

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}
var serviceName = 'api'

var names = {
  resourceGroup: !empty(resourceGroupName) ? resourceGroupName : '${abbrs.resourcesResourceGroups}${environmentName}'
  identity: !empty(identityName) ? identityName : '${abbrs.managedIdentityUserAssignedIdentities}${resourceToken}'
  logAnalytics: !empty(logAnalyticsName) ? logAnalyticsName : '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
  applicationInsights: !empty(applicationInsightsName)
    ? applicationInsightsName
    : '${abbrs.insightsComponents}${resourceToken}'
  storage: !empty(storageAccountName) ? storageAccountName : '${abbrs.storageStorageAccounts}${resourceToken}'
  cosmos: !empty(cosmosAccountName) ? cosmosAccountName : '${abbrs.documentDBDatabaseAccounts}${resourceToken}'
  openAi: !empty(openAiAccountName) ? openAiAccountName : '${abbrs.cognitiveServicesOpenAI}${resourceToken}'
  plan: !empty(functionPlanName) ? functionPlanName : '${abbrs.webServerFarms}${resourceToken}'
  app: !empty(functionAppName) ? functionAppName : '${abbrs.webSitesFunctions}${resourceToken}'
}

// The Flex Consumption plan pulls the package azd uploads from this container, as the app identity.
var deploymentContainerName = 'app-package-${resourceToken}'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: names.resourceGroup
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: names.logAnalytics
    applicationInsightsName: names.applicationInsights
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: names.storage
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
  }
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  scope: rg
  params: {
    name: names.cosmos
    location: location
    tags: tags
    serverless: cosmosServerless
  }
}

module openAi 'modules/openai.bicep' = {
  name: 'openai'
  scope: rg
  params: {
    name: names.openAi
    location: location
    tags: tags
    chat: {
      name: !empty(chatDeploymentName) ? chatDeploymentName : chatModelName
      modelName: chatModelName
      modelVersion: chatModelVersion
      skuName: chatDeploymentSkuName
      capacity: chatDeploymentCapacity
    }
    embedding: {
      name: !empty(embeddingDeploymentName) ? embeddingDeploymentName : embeddingModelName
      modelName: embeddingModelName
      modelVersion: embeddingModelVersion
      skuName: embeddingDeploymentSkuName
      capacity: embeddingDeploymentCapacity
    }
  }
}

// Roles first: the app starts pulling its package and reading Storage as soon as it exists.
module rbac 'modules/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    cosmosAccountName: cosmos.outputs.name
    openAiAccountName: openAi.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    appPrincipalId: identity.outputs.principalId
    userPrincipalId: principalId
    userPrincipalType: principalType
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  scope: rg
  params: {
    name: names.app
    planName: names.plan
    location: location
    tags: tags
    serviceName: serviceName
    identityId: identity.outputs.id
    deploymentContainerUrl: '${storage.outputs.blobEndpoint}${storage.outputs.deploymentContainerName}'
    maximumInstanceCount: functionMaximumInstanceCount
    instanceMemoryMB: functionInstanceMemoryMB
    adminKeyHash: adminKeyHash
    appSettings: {
      // Functions runtime storage through the identity (blob, queue and table: Durable needs all three).
      AzureWebJobsStorage__accountName: storage.outputs.name
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identity.outputs.clientId
      // DefaultAzureCredential in the app picks the user-assigned identity from this.
      AZURE_CLIENT_ID: identity.outputs.clientId
      APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.connectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.outputs.clientId};Authorization=AAD'
      Mem0__Cosmos__Endpoint: cosmos.outputs.endpoint
      Mem0__Cosmos__DatabaseName: cosmos.outputs.databaseName
      // With Entra data-plane access the app cannot create containers; this template does.
      Mem0__Cosmos__CreateIfMissing: 'false'
      Mem0__AI__Provider: 'AzureOpenAI'
      Mem0__AI__Endpoint: openAi.outputs.endpoint
      Mem0__AI__ChatModel: openAi.outputs.chatDeploymentName
      Mem0__AI__EmbeddingProvider: 'AzureOpenAI'
      Mem0__AI__EmbeddingModel: openAi.outputs.embeddingDeploymentName
      Mem0__AI__EmbeddingDimensions: string(cosmos.outputs.embeddingDimensions)
      // The queue trigger's connection "Mem0:Webhooks" (DeliverWebhookFunction): identity-based, as the user-assigned
      // identity; the platform's scale controller reads these same settings to watch the queue while the app is idle.
      Mem0__Webhooks__queueServiceUri: storage.outputs.queueEndpoint
      Mem0__Webhooks__credential: 'managedidentity'
      Mem0__Webhooks__clientId: identity.outputs.clientId
      // One limit for the host and the app: the host refuses larger bodies before the import route can say why.
      FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: string(maxRequestBodyBytes)
      Mem0__Jobs__MaxImportBytes: string(maxRequestBodyBytes)
      Mem0__Jobs__BlobServiceUri: storage.outputs.blobEndpoint
      // The key ring that encrypts webhook signing secrets, shared by every instance (container 'dataprotection').
      Mem0__DataProtection__BlobServiceUri: storage.outputs.blobEndpoint
    }
  }
  dependsOn: [
    rbac
  ]
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_CLIENT_ID string = identity.outputs.clientId
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output SERVICE_API_NAME string = functionApp.outputs.name
output SERVICE_API_URI string = functionApp.outputs.uri
output MEM0_BASE_URL string = functionApp.outputs.uri
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_STORAGE_BLOB_ENDPOINT string = storage.outputs.blobEndpoint
output AZURE_STORAGE_QUEUE_ENDPOINT string = storage.outputs.queueEndpoint
output AZURE_COSMOS_ENDPOINT string = cosmos.outputs.endpoint
output AZURE_COSMOS_DATABASE_NAME string = cosmos.outputs.databaseName
output AZURE_OPENAI_ENDPOINT string = openAi.outputs.endpoint
output AZURE_OPENAI_CHAT_DEPLOYMENT string = openAi.outputs.chatDeploymentName
output AZURE_OPENAI_EMBEDDING_DEPLOYMENT string = openAi.outputs.embeddingDeploymentName
output AZURE_OPENAI_EMBEDDING_DIMENSIONS int = cosmos.outputs.embeddingDimensions
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.connectionString
