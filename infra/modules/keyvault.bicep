// Key Vault in RBAC mode. It holds the secrets the Function App reads through Key Vault references; nobody gets
// access policies, only role assignments.

@description('Azure region for the vault.')
param location string

@description('Tags applied to the vault.')
param tags object

@description('Name of the Key Vault (3-24 characters, globally unique).')
@minLength(3)
@maxLength(24)
param name string

@description('Principal ids granted Key Vault Secrets User (read secret values) on this vault.')
param secretReaderPrincipalIds array

// Built-in role: Key Vault Secrets User.
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    // Short retention and no purge protection so that `azd down --purge` can remove the vault and its name can be
    // reused. Turn purge protection on for production.
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

resource secretReaders 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for principalId in secretReaderPrincipalIds: {
    name: guid(vault.id, principalId, keyVaultSecretsUserRoleId)
    scope: vault
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
      principalId: principalId
      principalType: 'ServicePrincipal'
    }
  }
]

@description('Name of the vault.')
output name string = vault.name

@description('Vault URI, e.g. https://kv-x.vault.azure.net/.')
output uri string = vault.properties.vaultUri
