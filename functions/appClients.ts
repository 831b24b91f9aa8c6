// The function app's SDK clients, built once per worker process from the app settings.
import { createAzureClients, type AzureClients } from '../shared/azure/clients';

let clients: AzureClients | undefined;

export function appClients(): AzureClients {
  return (clients ??= createAzureClients(process.env));
}
