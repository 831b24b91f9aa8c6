// Tenure on Azure: one resource group holding a Flex Consumption function app that runs as a user-assigned
// identity, and the storage, Service Bus, Key Vault and monitoring it reaches through Entra role assignments only.
// Shape follows Azure-Samples/functions-quickstart-typescript-azd; `azd up` provisions it and deploys the code.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; seeds every resource name and the azd-env-name tag.')
param environmentName string

@minLength(1)
@description('Region of every resource. Must offer the Flex Consumption plan (az functionapp list-flexconsumption-locations).')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@allowed([
  ''
  'global'
  'usgov'
  'usgovdod'
  'china'
])
@description('National cloud of the Entra tenants Tenure manages (TENURE_CLOUD). Empty: derived from the Azure cloud this deployment runs in.')
param tenureCloud string = ''

@description('Object id of the person or pipeline running the deployment; receives the deployer roles below when grantDeployerAccess is true.')
param principalId string = ''

@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
@description('Kind of principal principalId names.')
param principalType string = 'User'

@description('Grant the deployer data-plane roles (Key Vault certificates and secrets, tables, Service Bus) to upload the service-provider certificate and to debug.')
param grantDeployerAccess bool = true

@description('Turn on App Service authentication (Easy Auth v2, Entra) in front of the function app and require the admin app role.')
param enableAppServiceAuth bool = false

@description('Client id of the Entra app registration used by App Service authentication (required when enableAppServiceAuth is true).')
param authClientId string = ''

@description('App role an admin caller must hold when App Service authentication is on.')
param adminRole string = 'Tenure.Admin'

@description('App role an HR integration caller must hold when App Service authentication is on.')
param hrRole string = 'Tenure.HR.Write'

@description('Client id of this deployment\'s multi-tenant service-provider app (optional; see docs/deploy.md).')
param spClientId string = ''

@description('Name of the Key Vault certificate of the service-provider app.')
param spCertificateName string = 'service-provider-app'

@allowed([
  '20'
  '22'
])
@description('Node.js major version of the Functions runtime.')
param nodeVersion string = '20'

@description('Public https base URL when a custom domain fronts the app; empty uses the app\'s default host name.')
param publicBaseUrl string = ''

@allowed([
  'Standard'
  'Premium'
])
@description('Service Bus tier; sessions and duplicate detection need Standard or above.')
param serviceBusSku string = 'Standard'

// Optional name overrides, as in the azd templates.
param resourceGroupName string = ''
param functionAppName string = ''
param identityName string = ''
param storageAccountName string = ''
param serviceBusNamespaceName string = ''
param keyVaultName string = ''
param logAnalyticsName string = ''
param applicationInsightsName string = ''
param appServicePlanName string = ''

var abbrs = loadJsonContent('./abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}

// environment().name is AzureCloud, AzureUSGovernment or AzureChinaCloud. DoD (L5) shares the Azure Government
// ARM endpoint, so 'usgovdod' can only come from the parameter.
var derivedCloud = environment().name == 'AzureUSGovernment' ? 'usgov' : (environment().name == 'AzureChinaCloud' ? 'china' : 'global')
var cloud = empty(tenureCloud) ? derivedCloud : tenureCloud

var apiName = !empty(functionAppName) ? functionAppName : '${abbrs.webSitesFunctions}tenure-${resourceToken}'
var deploymentContainerName = 'app-package-${take(resourceToken, 7)}'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

module identity 'app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: !empty(identityName) ? identityName : '${abbrs.managedIdentityUserAssignedIdentities}tenure-${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: !empty(logAnalyticsName) ? logAnalyticsName : '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: !empty(applicationInsightsName) ? applicationInsightsName : '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: !empty(storageAccountName) ? storageAccountName : '${abbrs.storageStorageAccounts}${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
  }
}

module serviceBus 'app/servicebus.bicep' = {
  name: 'servicebus'
  scope: rg
  params: {
    name: !empty(serviceBusNamespaceName) ? serviceBusNamespaceName : '${abbrs.serviceBusNamespaces}${resourceToken}'
    location: location
    tags: tags
    sku: serviceBusSku
  }
}

module keyVault 'app/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: !empty(keyVaultName) ? keyVaultName : '${abbrs.keyVaultVaults}${resourceToken}'
    location: location
    tags: tags
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    serviceBusNamespaceName: serviceBus.outputs.name
    keyVaultName: keyVault.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    identityPrincipalId: identity.outputs.principalId
    deployerPrincipalId: grantDeployerAccess ? principalId : ''
    deployerPrincipalType: principalType
  }
}

module api 'app/api.bicep' = {
  name: 'api'
  scope: rg
  params: {
    name: apiName
    planName: !empty(appServicePlanName) ? appServicePlanName : '${abbrs.webServerFarms}${resourceToken}'
    location: location
    tags: tags
    nodeVersion: nodeVersion
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerName: deploymentContainerName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    serviceBusFullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
    hrQueueName: serviceBus.outputs.hrQueueName
    keyVaultUri: keyVault.outputs.uri
    cloud: cloud
    publicBaseUrl: publicBaseUrl
    spClientId: spClientId
    spCertificateName: spCertificateName
    enableAppServiceAuth: enableAppServiceAuth
    authClientId: authClientId
    adminRole: adminRole
    hrRole: hrRole
  }
  // The app must not start before its identity can read storage and Service Bus.
  dependsOn: [
    rbac
  ]
}

// UPPER_SNAKE outputs become azd environment values (azd env get-values).
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_NAME string = api.outputs.name
output SERVICE_API_NAME string = api.outputs.name
output TENURE_PUBLIC_BASE_URL string = api.outputs.publicBaseUrl
output TENURE_CLOUD string = cloud
output TENURE_KEY_VAULT_URL string = keyVault.outputs.uri
output TENURE_KEY_VAULT_NAME string = keyVault.outputs.name
output TENURE_TABLE_ENDPOINT string = storage.outputs.tableEndpoint
output SERVICE_BUS_NAMESPACE string = serviceBus.outputs.fullyQualifiedNamespace
output AZURE_CLIENT_ID string = identity.outputs.clientId
