// Every data-plane role the app needs, granted to the app's identity and (when given) the deploying
// user, so both the deployed app and a developer running locally work without keys.
// Names are guid(scope, principal, role): re-running a deployment updates instead of duplicating.
@description('Storage account holding the runtime state, the deployment package, job blobs and webhook queues.')
param storageAccountName string

@description('Cosmos DB account.')
param cosmosAccountName string

@description('Azure OpenAI account.')
param openAiAccountName string

@description('Application Insights component the app sends telemetry to.')
param applicationInsightsName string

@description('Principal id of the app\'s user-assigned identity.')
param appPrincipalId string

@description('Principal id of the deploying user or pipeline; empty skips those assignments.')
param userPrincipalId string = ''

@description('Principal type of userPrincipalId.')
@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param userPrincipalType string = 'User'

var roleIds = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  cognitiveServicesOpenAIUser: '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

// Cosmos DB's data plane has its own RBAC: the built-in "Cosmos DB Built-in Data Contributor" role.
var cosmosDataContributorRoleId = '00000000-0000-0000-0000-000000000002'

var principals = concat(
  [
    {
      id: appPrincipalId
      type: 'ServicePrincipal'
    }
  ],
  empty(userPrincipalId)
    ? []
    : [
        {
          id: userPrincipalId
          type: userPrincipalType
        }
      ]
)

// Blob (runtime, deployment package, job staging), Queue (runtime, webhooks), Table (Durable Functions).
var storageRoleIds = [
  roleIds.storageBlobDataOwner
  roleIds.storageQueueDataContributor
  roleIds.storageTableDataContributor
]

var storageAssignments = flatten(map(principals, principal => map(storageRoleIds, roleId => {
  principal: principal
  roleId: roleId
})))

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource cosmos 'Microsoft.DocumentDB/databaseAccounts@2025-10-15' existing = {
  name: cosmosAccountName
}

resource openAi 'Microsoft.CognitiveServices/accounts@2024-10-01' existing = {
  name: openAiAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource storageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for assignment in storageAssignments: {
    name: guid(storage.id, assignment.principal.id, assignment.roleId)
    scope: storage
    properties: {
      principalId: assignment.principal.id
      principalType: assignment.principal.type
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', assignment.roleId)
    }
  }
]

resource openAiRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for principal in principals: {
    name: guid(openAi.id, principal.id, roleIds.cognitiveServicesOpenAIUser)
    scope: openAi
    properties: {
      principalId: principal.id
      principalType: principal.type
      roleDefinitionId: subscriptionResourceId(
        'Microsoft.Authorization/roleDefinitions',
        roleIds.cognitiveServicesOpenAIUser
      )
    }
  }
]

resource monitoringRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for principal in principals: {
    name: guid(applicationInsights.id, principal.id, roleIds.monitoringMetricsPublisher)
    scope: applicationInsights
    properties: {
      principalId: principal.id
      principalType: principal.type
      roleDefinitionId: subscriptionResourceId(
        'Microsoft.Authorization/roleDefinitions',
        roleIds.monitoringMetricsPublisher
      )
    }
  }
]

// Cosmos DB rejects concurrent role-assignment writes on one account, hence one at a time.
@batchSize(1)
resource cosmosRoles 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2025-10-15' = [
  for principal in principals: {
    parent: cosmos
    name: guid(cosmos.id, principal.id, cosmosDataContributorRoleId)
    properties: {
      principalId: principal.id
      roleDefinitionId: '${cosmos.id}/sqlRoleDefinitions/${cosmosDataContributorRoleId}'
      scope: cosmos.id
    }
  }
]
