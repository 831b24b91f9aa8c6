// The Tenure function app on a Flex Consumption (FC1) plan. It runs as the user-assigned identity and reaches
// storage, Service Bus, Key Vault and Application Insights through identity-based settings: no key, SAS or
// connection string is ever issued. Optionally fronted by App Service authentication (Easy Auth v2, Entra).
param name string
param planName string
param location string
param tags object = {}
param serviceName string = 'api'

@allowed([
  '20'
  '22'
])
param nodeVersion string = '20'

@minValue(512)
param instanceMemoryMB int = 2048

@minValue(1)
param maximumInstanceCount int = 100

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of that identity (what identity-based connections and DefaultAzureCredential select).')
param identityClientId string

param storageAccountName string
param deploymentContainerName string
param applicationInsightsName string
param serviceBusFullyQualifiedNamespace string
param hrQueueName string
param keyVaultUri string

@allowed([
  'global'
  'usgov'
  'usgovdod'
  'china'
])
param cloud string

param publicBaseUrl string = ''
param spClientId string = ''
param spCertificateName string = 'service-provider-app'
param enableAppServiceAuth bool = false
param authClientId string = ''
param adminRole string = 'Tenure.Admin'
param hrRole string = 'Tenure.HR.Write'

@description('Paths App Service authentication lets through anonymously: only the OAuth redirects, which carry their own single-use state.')
param anonymousPaths array = [
  '/api/oauth/callback'
  '/api/oauth/adminconsent'
]

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, {
    'azd-service-name': serviceName
  })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'node'
        version: nodeVersion
      }
    }
  }
}

// No publishing passwords: azd deploys with an Entra token.
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'scm'
  properties: {
    allow: false
  }
}

var tableEndpoint = endsWith(storage.properties.primaryEndpoints.table, '/') ? substring(storage.properties.primaryEndpoints.table, 0, length(storage.properties.primaryEndpoints.table) - 1) : storage.properties.primaryEndpoints.table
var baseUrl = !empty(publicBaseUrl) ? publicBaseUrl : 'https://${functionApp.properties.defaultHostName}'

// Every production setting of shared/config/settings.ts (SETTINGS), plus the runtime's own identity-based wiring.
var appSettings = {
  // Functions runtime storage. The service URIs carry the right cloud suffix (accountName alone assumes
  // core.windows.net), and explicit URIs take precedence over accountName.
  AzureWebJobsStorage__accountName: storage.name
  AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
  AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
  AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId

  // The Service Bus trigger's connection "ServiceBusConnection", identity-based.
  ServiceBusConnection__fullyQualifiedNamespace: serviceBusFullyQualifiedNamespace
  ServiceBusConnection__credential: 'managedidentity'
  ServiceBusConnection__clientId: identityClientId

  // Application Insights rejects the instrumentation key alone (local auth is disabled); the identity signs in.
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'

  // DefaultAzureCredential in Tenure's own code picks the user-assigned identity by this id.
  AZURE_CLIENT_ID: identityClientId

  TENURE_CLOUD: cloud
  TENURE_TABLE_ENDPOINT: tableEndpoint
  TENURE_KEY_VAULT_URL: keyVaultUri
  TENURE_HR_QUEUE: hrQueueName
  TENURE_PUBLIC_BASE_URL: baseUrl
  TENURE_REQUIRE_ADMIN_ROLE: enableAppServiceAuth ? 'true' : 'false'
  TENURE_ADMIN_ROLE: adminRole
  TENURE_HR_ROLE: hrRole
  TENURE_SP_CERTIFICATE_NAME: spCertificateName
}

// The service-provider app is optional: without its client id, only customer-owned connections are offered.
var serviceProviderSettings = empty(spClientId) ? {} : {
  TENURE_SP_CLIENT_ID: spClientId
}

resource settings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'appsettings'
  properties: union(appSettings, serviceProviderSettings)
}

// Easy Auth v2 with Entra: every request needs a token for authClientId, except the OAuth redirects. Tenure then
// checks the caller's app roles (adminRole for admin endpoints) because TENURE_REQUIRE_ADMIN_ROLE is 'true'.
resource authSettings 'Microsoft.Web/sites/config@2024-04-01' = if (enableAppServiceAuth) {
  parent: functionApp
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'RedirectToLoginPage'
      redirectToProvider: 'azureactivedirectory'
      excludedPaths: anonymousPaths
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: authClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [
            authClientId
            'api://${authClientId}'
          ]
        }
      }
    }
    login: {
      tokenStore: {
        enabled: false
      }
    }
    httpSettings: {
      requireHttps: true
    }
  }
}

output name string = functionApp.name
output defaultHostName string = functionApp.properties.defaultHostName
output publicBaseUrl string = baseUrl
