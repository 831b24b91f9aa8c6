// Service Bus namespace with SAS (local) auth disabled, and the queues Tenure's code uses. Queue properties are the
// contract in QUEUES (shared/config/resources.ts): sessions keep one worker's snapshots in order.
param name string
param location string
param tags object = {}

@allowed([
  'Standard'
  'Premium'
])
param sku string = 'Standard'

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: sku
    tier: sku
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

// Worker snapshots; session id = flow + employee id.
resource hrEvents 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' = {
  parent: namespace
  name: 'hr-events'
  properties: {
    requiresSession: true
    maxDeliveryCount: 10
    lockDuration: 'PT1M'
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'PT10M'
    deadLetteringOnMessageExpiration: true
    enablePartitioning: false
  }
}

output name string = namespace.name
// serviceBusEndpoint is https://<name>.<cloud suffix>:443/; the SDK and the trigger want the bare host name.
output fullyQualifiedNamespace string = split(replace(replace(namespace.properties.serviceBusEndpoint, 'https://', ''), '/', ''), ':')[0]
output hrQueueName string = hrEvents.name
