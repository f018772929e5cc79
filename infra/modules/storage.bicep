// The storage account the Functions host needs.
// - AzureWebJobsStorage (host keys, leases, diagnostics) is identity-based: the app's identity gets data-plane roles
//   and the app setting names only the account.
// - The Elastic Premium content share (the app's /home, where the CSV and the outbox live) is Azure Files, which the
//   platform mounts with an account key only. That connection string goes into Key Vault as a secret and the app reads
//   it through a Key Vault reference; it never appears in an app setting value or an output.

@description('Azure region for the account.')
param location string

@description('Tags applied to the account.')
param tags object

@description('Storage account name (3-24 lower-case letters and digits, globally unique).')
@minLength(3)
@maxLength(24)
param name string

@description('Name of the Azure Files share mounted as the Function App\'s content (/home).')
param contentShareName string

@description('Principal id of the identity the Function App uses for AzureWebJobsStorage.')
param hostPrincipalId string

@description('Name of the Key Vault that receives the content-share connection string.')
param keyVaultName string

@description('Name of the Key Vault secret holding the content-share connection string.')
param contentConnectionSecretName string = 'content-share-connection-string'

// Built-in roles the Functions host needs for identity-based AzureWebJobsStorage.
var hostRoleIds = [
  'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' // Storage Blob Data Owner: host keys, singleton leases
  '974c5e8b-45b9-4653-ba55-5f855dd0fb88' // Storage Queue Data Contributor: host queues
  '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' // Storage Table Data Contributor: host diagnostic events
]

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    // Azure Files content shares are mounted with the account key; the host itself uses its identity.
    allowSharedKeyAccess: true
    defaultToOAuthAuthentication: true
    publicNetworkAccess: 'Enabled'
  }
}

resource fileService 'Microsoft.Storage/storageAccounts/fileServices@2025-01-01' = {
  parent: storage
  name: 'default'
}

resource contentShare 'Microsoft.Storage/storageAccounts/fileServices/shares@2025-01-01' = {
  parent: fileService
  name: contentShareName
  properties: {
    shareQuota: 100
  }
}

resource hostRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in hostRoleIds: {
    name: guid(storage.id, hostPrincipalId, roleId)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: hostPrincipalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' existing = {
  name: keyVaultName
}

resource contentConnectionSecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = {
  parent: vault
  name: contentConnectionSecretName
  properties: {
    contentType: 'Azure Storage connection string (Function App content share)'
    value: 'DefaultEndpointsProtocol=https;AccountName=${storage.name};AccountKey=${storage.listKeys().keys[0].value};EndpointSuffix=${environment().suffixes.storage}'
  }
}

@description('Storage account name (AzureWebJobsStorage__accountName).')
output name string = storage.name

@description('Name of the content share (WEBSITE_CONTENTSHARE).')
output contentShareName string = contentShare.name

@description('Versionless URI of the Key Vault secret holding the content-share connection string (not the secret).')
output contentConnectionSecretUri string = contentConnectionSecret.properties.secretUri
