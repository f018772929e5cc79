// The user-assigned identity the Function App runs storage and Key Vault access with. It exists, and holds its roles,
// before the Function App is created, so the app's first start can already resolve its Key Vault references and
// reach its storage account (a system-assigned identity only exists after the app does, so its first start would race
// the role assignments).

@description('Azure region for the identity.')
param location string

@description('Tags applied to the identity.')
param tags object

@description('Name of the user-assigned managed identity.')
param name string

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

@description('Resource id of the identity.')
output id string = identity.id

@description('Client id of the identity (AzureWebJobsStorage__clientId).')
output clientId string = identity.properties.clientId

@description('Principal (object) id of the identity, for role assignments.')
output principalId string = identity.properties.principalId
