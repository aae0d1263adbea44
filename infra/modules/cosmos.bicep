// Cosmos DB for NoSQL with vector and full-text search, Entra-only data plane.
// The database and containers come from infra/cosmos-containers.json, the same file the app embeds,
// because vector and full-text policies cannot be changed once a container exists.
@description('Name of the Cosmos DB account.')
param name string

@description('Azure region.')
param location string

@description('Tags applied to the account.')
param tags object

@description('Serverless bills per request unit consumed; set false for provisioned throughput (autoscale 1000 RU/s per container).')
param serverless bool = true

var layout = loadJsonContent('../cosmos-containers.json')

var searchCapabilities = [
  {
    name: 'EnableNoSQLVectorSearch'
  }
  {
    name: 'EnableNoSQLFullTextSearch'
  }
]

resource account 'Microsoft.DocumentDB/databaseAccounts@2025-10-15' = {
  name: name
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    capabilities: serverless ? concat(searchCapabilities, [{ name: 'EnableServerless' }]) : searchCapabilities
    // Keys are off: the app and the deploying user get the built-in data contributor role instead.
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: 'Enabled'
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2025-10-15' = {
  parent: account
  name: layout.databaseName
  properties: {
    resource: {
      id: layout.databaseName
    }
  }
}

resource containers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2025-10-15' = [
  for container in layout.containers: {
    parent: database
    name: container.name
    properties: {
      resource: {
        id: container.name
        partitionKey: {
          paths: container.partitionKeyPaths
          // More than one path is a hierarchical partition key, which requires MultiHash version 2.
          kind: length(container.partitionKeyPaths) > 1 ? 'MultiHash' : 'Hash'
          version: 2
        }
        // null leaves TTL off for the container; a number expires documents after that many seconds.
        defaultTtl: container.defaultTtl
        indexingPolicy: {
          indexingMode: 'consistent'
          automatic: true
          includedPaths: [
            {
              path: '/*'
            }
          ]
          // The embedding is only read through the vector index; range-indexing it would waste RUs and storage.
          excludedPaths: container.vector
            ? [
                {
                  path: '/"_etag"/?'
                }
                {
                  path: '${layout.vector.path}/*'
                }
              ]
            : [
                {
                  path: '/"_etag"/?'
                }
              ]
          vectorIndexes: container.vector
            ? [
                {
                  path: layout.vector.path
                  type: layout.vector.indexType
                }
              ]
            : []
          fullTextIndexes: container.fullText
            ? [
                {
                  path: layout.fullText.path
                }
                {
                  path: layout.fullText.entityPath
                }
              ]
            : []
        }
        vectorEmbeddingPolicy: container.vector
          ? {
              vectorEmbeddings: [
                {
                  path: layout.vector.path
                  dataType: layout.vector.dataType
                  dimensions: layout.vector.dimensions
                  distanceFunction: layout.vector.distanceFunction
                }
              ]
            }
          : null
        fullTextPolicy: container.fullText
          ? {
              defaultLanguage: layout.fullText.language
              fullTextPaths: [
                {
                  path: layout.fullText.path
                  language: layout.fullText.language
                }
                {
                  path: layout.fullText.entityPath
                  language: layout.fullText.language
                }
              ]
            }
          : null
      }
      options: serverless
        ? {}
        : {
            autoscaleSettings: {
              maxThroughput: 1000
            }
          }
    }
  }
]

output name string = account.name
output endpoint string = account.properties.documentEndpoint
output databaseName string = database.name
output embeddingDimensions int = layout.vector.dimensions
