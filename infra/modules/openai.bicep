// Azure OpenAI with one chat and one embedding deployment; keys disabled (Entra only).
@description('Name of the Azure OpenAI account; also its custom subdomain, which Entra authentication requires.')
param name string

@description('Azure region; model and SKU availability differ by region.')
param location string

@description('Tags applied to the account.')
param tags object

@description('Chat deployment: name, model, version, SKU and capacity (thousands of tokens per minute).')
param chat deploymentSpec

@description('Embedding deployment: name, model, version, SKU and capacity (thousands of tokens per minute).')
param embedding deploymentSpec

@description('One model deployment on the account.')
type deploymentSpec = {
  @description('Deployment name the app calls.')
  name: string
  @description('Model name, e.g. gpt-4.1-mini.')
  modelName: string
  @description('Model version, e.g. 2025-04-14.')
  modelVersion: string
  @description('Deployment SKU, e.g. GlobalStandard or Standard.')
  skuName: string
  @description('Capacity in thousands of tokens per minute.')
  capacity: int
}

resource account 'Microsoft.CognitiveServices/accounts@2024-10-01' = {
  name: name
  location: location
  tags: tags
  kind: 'OpenAI'
  sku: {
    name: 'S0'
  }
  properties: {
    customSubDomainName: name
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
  }
}

resource chatDeployment 'Microsoft.CognitiveServices/accounts/deployments@2024-10-01' = {
  parent: account
  name: chat.name
  sku: {
    name: chat.skuName
    capacity: chat.capacity
  }
  properties: {
    model: {
      format: 'OpenAI'
      name: chat.modelName
      version: chat.modelVersion
    }
    versionUpgradeOption: 'OnceCurrentVersionExpired'
  }
}

resource embeddingDeployment 'Microsoft.CognitiveServices/accounts/deployments@2024-10-01' = {
  parent: account
  name: embedding.name
  sku: {
    name: embedding.skuName
    capacity: embedding.capacity
  }
  properties: {
    model: {
      format: 'OpenAI'
      name: embedding.modelName
      version: embedding.modelVersion
    }
    versionUpgradeOption: 'OnceCurrentVersionExpired'
  }
  // The service rejects concurrent deployment operations on one account.
  dependsOn: [
    chatDeployment
  ]
}

output name string = account.name
output endpoint string = account.properties.endpoint
output chatDeploymentName string = chatDeployment.name
output embeddingDeploymentName string = embeddingDeployment.name
