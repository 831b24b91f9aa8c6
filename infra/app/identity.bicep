// The function app's user-assigned managed identity: the only principal the app runs as. Every data-plane right it
// has comes from rbac.bicep, so the app holds no keys, secrets or connection strings.
param name string
param location string
param tags object = {}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output principalId string = identity.properties.principalId
output clientId string = identity.properties.clientId
