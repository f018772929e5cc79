// OrdersFunctions in Azure: one resource group holding the Function App on an Elastic Premium plan, Azure Managed
// Redis, the host's storage account, Application Insights with Log Analytics, and the Key Vault the app reads its
// secrets from. Deploy with `azd up` (azure.yaml) or `az deployment sub create` (docs/deploy.md).
targetScope = 'subscription'

@description('Environment name (azd sets it from AZURE_ENV_NAME); names the resource group rg-<environmentName>.')
@minLength(1)
@maxLength(64)
param environmentName string

@description('Azure region for every resource.')
@minLength(1)
param location string

@description('Short lower-case prefix for resource names (letters and digits; 3-11 characters).')
@minLength(3)
@maxLength(11)
param namePrefix string = 'orders'

@description('Elastic Premium plan size: EP1 (1 vCPU, 3.5 GB), EP2 (2 vCPU, 7 GB), EP3 (4 vCPU, 14 GB).')
@allowed([
  'EP1'
  'EP2'
  'EP3'
])
param functionPlanSku string = 'EP1'

@description('Always-ready (minimum) instances of the Function App; at least one so the stream listeners always run.')
@minValue(1)
@maxValue(20)
param alwaysReadyInstances int = 1

@description('Maximum instances the plan may scale out to.')
@minValue(1)
@maxValue(100)
param maximumInstances int = 10

@description('Azure Managed Redis SKU.')
@allowed([
  'Balanced_B0'
  'Balanced_B1'
  'Balanced_B3'
  'Balanced_B5'
  'Balanced_B10'
  'MemoryOptimized_M10'
  'ComputeOptimized_X3'
])
param redisSku string = 'Balanced_B0'

@description('Azure Managed Redis clustering policy (EnterpriseCluster: one endpoint; OSSCluster: cluster-aware clients).')
@allowed([
  'EnterpriseCluster'
  'OSSCluster'
])
param redisClusteringPolicy string = 'EnterpriseCluster'

@description('Replicate Redis to a second node so a node failure loses no acknowledged order.')
param redisHighAvailability bool = true

@description('Stream the orders are published to (OrdersStream).')
@minLength(1)
param ordersStream string = 'orders-placed'

@description('Consumer group of SendOrderNotification (NotificationsGroup).')
@minLength(1)
param notificationsGroup string = 'notifications'

@description('Consumer group of AppendOrderToSpreadsheet (SpreadsheetsGroup).')
@minLength(1)
param spreadsheetsGroup string = 'spreadsheets'

@description('Deliveries of one entry before it is dead-lettered (RedisStreams__MaxDeliveries).')
@minValue(1)
@maxValue(1000)
param maxDeliveries int = 5

@description('Idle time before a pending entry is claimed by another consumer, hh:mm:ss (RedisStreams__ClaimMinIdle).')
param claimMinIdle string = '00:00:30'

@description('First retry backoff, hh:mm:ss (RedisStreams__RetryBackoffInitial).')
param retryBackoffInitial string = '00:00:01'

@description('Longest retry backoff, hh:mm:ss (RedisStreams__RetryBackoffMax).')
param retryBackoffMax string = '00:01:00'

@description('CSV file of the spreadsheet sink, on the app\'s persistent shared /home (Spreadsheet__CsvPath).')
param spreadsheetCsvPath string = '/home/data/orders.csv'

@description('Outbox folder of the notification sink, on the app\'s persistent shared /home (Notifications__OutboxPath).')
param notificationsOutboxPath string = '/home/data/outbox'

@description('SMTP host; empty sends notifications to the outbox folder instead (Notifications__Smtp__Host).')
param smtpHost string = ''

@description('SMTP port (Notifications__Smtp__Port).')
@minValue(1)
@maxValue(65535)
param smtpPort int = 587

@description('Sender address of notifications (Notifications__Smtp__From).')
param smtpFrom string = 'orders@example.com'

@description('SMTP user name (Notifications__Smtp__UserName).')
param smtpUserName string = ''

@description('SMTP password; kept in Key Vault and referenced from Notifications__Smtp__Password.')
@secure()
param smtpPassword string = ''

// Storage accounts allow only lower-case letters and digits.
var prefix = toLower(replace(namePrefix, '-', ''))
var resourceGroupName = 'rg-${environmentName}'
var token = toLower(uniqueString(subscription().id, resourceGroupName, location))
var tags = {
  'azd-env-name': environmentName
  application: 'orders-functions'
}
var azdServiceName = 'api'

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: resourceGroupName
  location: location
  tags: tags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    location: location
    tags: tags
    logAnalyticsName: 'log-${prefix}-${token}'
    applicationInsightsName: 'appi-${prefix}-${token}'
  }
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    location: location
    tags: tags
    name: 'id-${prefix}-${token}'
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    location: location
    tags: tags
    name: take('kv${prefix}${token}', 24)
    secretReaderPrincipalIds: [
      identity.outputs.principalId
    ]
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    location: location
    tags: tags
    name: take('st${prefix}${token}', 24)
    contentShareName: 'content-${prefix}'
    hostPrincipalId: identity.outputs.principalId
    keyVaultName: keyVault.outputs.name
  }
}

module redis 'modules/redis.bicep' = {
  name: 'redis'
  scope: rg
  params: {
    location: location
    tags: tags
    name: 'redis-${prefix}-${token}'
    skuName: redisSku
    clusteringPolicy: redisClusteringPolicy
    highAvailability: redisHighAvailability
    keyVaultName: keyVault.outputs.name
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  scope: rg
  params: {
    location: location
    tags: tags
    planName: 'plan-${prefix}-${token}'
    appName: 'func-${prefix}-${token}'
    azdServiceName: azdServiceName
    planSku: functionPlanSku
    alwaysReadyInstances: alwaysReadyInstances
    maximumInstances: maximumInstances
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    contentShareName: storage.outputs.contentShareName
    contentConnectionSecretUri: storage.outputs.contentConnectionSecretUri
    redisConnectionSecretUri: redis.outputs.connectionSecretUri
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    keyVaultName: keyVault.outputs.name
    ordersStream: ordersStream
    notificationsGroup: notificationsGroup
    spreadsheetsGroup: spreadsheetsGroup
    maxDeliveries: maxDeliveries
    claimMinIdle: claimMinIdle
    retryBackoffInitial: retryBackoffInitial
    retryBackoffMax: retryBackoffMax
    spreadsheetCsvPath: spreadsheetCsvPath
    notificationsOutboxPath: notificationsOutboxPath
    smtpHost: smtpHost
    smtpPort: smtpPort
    smtpFrom: smtpFrom
    smtpUserName: smtpUserName
    smtpPassword: smtpPassword
  }
}

// Outputs carry names only, never a key or a connection string. azd stores them in the environment.
output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_FUNCTION_APP_URL string = 'https://${functionApp.outputs.defaultHostName}'
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_REDIS_HOST_NAME string = redis.outputs.hostName
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
