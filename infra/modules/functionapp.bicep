// Elastic Premium plan and the Linux Function App (.NET isolated worker) that hosts PlaceOrder,
// SendOrderNotification and AppendOrderToSpreadsheet. App setting names match local.settings.sample.json.

@description('Azure region for the plan and the app.')
param location string

@description('Tags applied to the plan and the app.')
param tags object

@description('Name of the Elastic Premium plan.')
param planName string

@description('Name of the Function App (globally unique host name).')
param appName string

@description('azd service name the app is tagged with (azure.yaml services key).')
param azdServiceName string

@description('Elastic Premium SKU.')
@allowed([
  'EP1'
  'EP2'
  'EP3'
])
param planSku string

@description('Always-ready instances: the plan and the app never run fewer, so the stream listeners are always on.')
@minValue(1)
@maxValue(20)
param alwaysReadyInstances int

@description('Upper bound of instances the scale controller may add.')
@minValue(1)
@maxValue(100)
param maximumInstances int

@description('Resource id of the user-assigned identity the app runs storage and Key Vault access with.')
param identityId string

@description('Client id of that identity.')
param identityClientId string

@description('Storage account name for identity-based AzureWebJobsStorage.')
param storageAccountName string

@description('Azure Files share mounted as the app content (/home).')
param contentShareName string

@description('Versionless Key Vault secret URI of the content-share connection string.')
param contentConnectionSecretUri string

@description('Versionless Key Vault secret URI of the Redis connection string.')
param redisConnectionSecretUri string

@description('Name of the Application Insights component.')
param applicationInsightsName string

@description('Name of the Key Vault (for the optional SMTP password secret).')
param keyVaultName string

@description('Stream the orders are published to and consumed from.')
param ordersStream string

@description('Consumer group of SendOrderNotification.')
param notificationsGroup string

@description('Consumer group of AppendOrderToSpreadsheet.')
param spreadsheetsGroup string

@description('Deliveries of one entry before it is dead-lettered.')
param maxDeliveries int

@description('Idle time (hh:mm:ss) after which a pending entry is claimed by another consumer.')
param claimMinIdle string

@description('First retry backoff (hh:mm:ss).')
param retryBackoffInitial string

@description('Longest retry backoff (hh:mm:ss).')
param retryBackoffMax string

@description('CSV file the spreadsheet sink appends to.')
param spreadsheetCsvPath string

@description('Folder the notification sink writes .eml files to when no SMTP host is set.')
param notificationsOutboxPath string

@description('SMTP host; empty means notifications go to the outbox folder.')
param smtpHost string

@description('SMTP port.')
param smtpPort int

@description('Sender address of notifications.')
param smtpFrom string

@description('SMTP user name; empty for none.')
param smtpUserName string

@description('SMTP password; stored in Key Vault when set.')
@secure()
param smtpPassword string

var smtpPasswordSecretName = 'smtp-password'

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' existing = {
  name: keyVaultName
}

resource smtpPasswordSecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = if (!empty(smtpPassword)) {
  parent: vault
  name: smtpPasswordSecretName
  properties: {
    contentType: 'SMTP password'
    value: smtpPassword
  }
}

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'elastic'
  sku: {
    name: planSku
    tier: 'ElasticPremium'
    // For Elastic Premium the plan capacity is its minimum instance count.
    capacity: alwaysReadyInstances
  }
  properties: {
    reserved: true // Linux
    maximumElasticWorkerCount: maximumInstances
  }
}

resource app 'Microsoft.Web/sites@2025-03-01' = {
  name: appName
  location: location
  tags: union(tags, { 'azd-service-name': azdServiceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  dependsOn: [
    smtpPasswordSecret
  ]
  properties: {
    serverFarmId: plan.id
    reserved: true
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      linuxFxVersion: 'DOTNET-ISOLATED|10.0'
      // Always-ready instances of this app: the custom Redis stream listeners run without waiting for a scale-out.
      minimumElasticInstanceCount: alwaysReadyInstances
      functionAppScaleLimit: maximumInstances
      // The scale controller asks the Functions runtime (our extension's scale monitor) instead of watching the event
      // source itself, which it cannot do for a custom trigger.
      functionsRuntimeScaleMonitoringEnabled: true
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      http20Enabled: true
      use32BitWorkerProcess: false
      appSettings: [
        // Functions host and platform
        { name: 'FUNCTIONS_EXTENSION_VERSION', value: '~4' }
        { name: 'FUNCTIONS_WORKER_RUNTIME', value: 'dotnet-isolated' }
        { name: 'AzureWebJobsStorage__accountName', value: storageAccountName }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
        { name: 'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING', value: '@Microsoft.KeyVault(SecretUri=${contentConnectionSecretUri})' }
        { name: 'WEBSITE_CONTENTSHARE', value: contentShareName }
        // The platform cannot validate a share behind a Key Vault reference; the share is created by this template.
        { name: 'WEBSITE_SKIP_CONTENTSHARE_VALIDATION', value: '1' }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: applicationInsights.properties.ConnectionString }
        // The app (names as in local.settings.sample.json)
        { name: 'RedisConnection', value: '@Microsoft.KeyVault(SecretUri=${redisConnectionSecretUri})' }
        { name: 'OrdersStream', value: ordersStream }
        { name: 'NotificationsGroup', value: notificationsGroup }
        { name: 'SpreadsheetsGroup', value: spreadsheetsGroup }
        { name: 'RedisStreams__MaxDeliveries', value: string(maxDeliveries) }
        { name: 'RedisStreams__ClaimMinIdle', value: claimMinIdle }
        { name: 'RedisStreams__RetryBackoffInitial', value: retryBackoffInitial }
        { name: 'RedisStreams__RetryBackoffMax', value: retryBackoffMax }
        // The trigger's target never asks for more instances than the plan can give (docs/scale.md).
        { name: 'RedisStreams__MaxTargetWorkerCount', value: string(maximumInstances) }
        { name: 'Spreadsheet__CsvPath', value: spreadsheetCsvPath }
        { name: 'Notifications__OutboxPath', value: notificationsOutboxPath }
        { name: 'Notifications__Smtp__Host', value: smtpHost }
        { name: 'Notifications__Smtp__Port', value: string(smtpPort) }
        { name: 'Notifications__Smtp__From', value: smtpFrom }
        { name: 'Notifications__Smtp__UserName', value: smtpUserName }
        {
          name: 'Notifications__Smtp__Password'
          value: empty(smtpPassword) ? '' : '@Microsoft.KeyVault(SecretUri=${vault.properties.vaultUri}secrets/${smtpPasswordSecretName})'
        }
      ]
    }
  }
}

@description('Name of the Function App.')
output name string = app.name

@description('Default host name of the Function App.')
output defaultHostName string = app.properties.defaultHostName
