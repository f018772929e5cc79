// Azure Managed Redis (Microsoft.Cache/redisEnterprise): TLS only (clientProtocol Encrypted, TLS 1.2 minimum),
// no eviction (a stream is the order queue, never cache data to drop), append-only-file persistence every second.
// The StackExchange.Redis connection string goes into Key Vault; the key never leaves this module.

@description('Azure region for the cache.')
param location string

@description('Tags applied to the cache.')
param tags object

@description('Name of the Azure Managed Redis instance (globally unique).')
param name string

@description('Azure Managed Redis SKU.')
param skuName string

@description('Clustering policy of the database. EnterpriseCluster presents one endpoint (any client works); OSSCluster exposes the shards (needs a cluster-aware client, which StackExchange.Redis is).')
@allowed([
  'EnterpriseCluster'
  'OSSCluster'
])
param clusteringPolicy string

@description('Replicate the data to a second node (roughly doubles the price; recommended outside dev/test).')
param highAvailability bool

@description('Name of the Key Vault that receives the connection string.')
param keyVaultName string

@description('Name of the Key Vault secret holding the Redis connection string.')
param connectionSecretName string = 'redis-connection-string'

// Azure Managed Redis serves TLS on this port (Azure Cache for Redis used 6380).
var tlsPort = 10000

resource cluster 'Microsoft.Cache/redisEnterprise@2025-07-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: skuName
  }
  properties: {
    minimumTlsVersion: '1.2'
    highAvailability: highAvailability ? 'Enabled' : 'Disabled'
    publicNetworkAccess: 'Enabled'
  }
}

resource database 'Microsoft.Cache/redisEnterprise/databases@2025-07-01' = {
  parent: cluster
  name: 'default'
  properties: {
    // TLS only: there is no plain-text port.
    clientProtocol: 'Encrypted'
    port: tlsPort
    clusteringPolicy: clusteringPolicy
    evictionPolicy: 'NoEviction'
    // The engine authenticates with the access key in the connection string (from API 2025-04-01 keys are off by
    // default and listKeys fails without this).
    accessKeysAuthentication: 'Enabled'
    persistence: {
      aofEnabled: true
      aofFrequency: '1s'
    }
  }
}

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' existing = {
  name: keyVaultName
}

resource connectionSecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = {
  parent: vault
  name: connectionSecretName
  properties: {
    contentType: 'StackExchange.Redis connection string'
    value: '${cluster.properties.hostName}:${tlsPort},password=${database.listKeys().primaryKey},ssl=True,abortConnect=False'
  }
}

@description('Host name of the cache (no secret).')
output hostName string = cluster.properties.hostName

@description('Versionless URI of the Key Vault secret holding the connection string (not the secret).')
output connectionSecretUri string = connectionSecret.properties.secretUri
