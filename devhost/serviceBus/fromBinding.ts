// Builds a runner registration from a function's recorded trigger binding (the metadata @azure/functions hands
// `@azure/functions-core`: `{ type: 'serviceBusTrigger', queueName, connection, isSessionsEnabled, cardinality }`).
import { ServiceBusTriggerConfigError, type ServiceBusTriggerRegistration } from './types';

export function serviceBusTriggerFromBinding(
  functionName: string,
  binding: Record<string, unknown>,
  handler: ServiceBusTriggerRegistration['handler'],
): ServiceBusTriggerRegistration {
  if (binding.type !== 'serviceBusTrigger')
    throw new ServiceBusTriggerConfigError(
      `${functionName}: binding type ${String(binding.type)} is not serviceBusTrigger`,
    );
  if (typeof binding.queueName !== 'string' || binding.queueName === '')
    throw new ServiceBusTriggerConfigError(
      `${functionName}: only queue triggers are supported by the dev host (no queueName; topics are not emulated)`,
    );
  if (typeof binding.connection !== 'string' || binding.connection === '')
    throw new ServiceBusTriggerConfigError(`${functionName}: the trigger has no connection setting name`);
  const cardinality = binding.cardinality === 'many' ? 'many' : 'one';
  return {
    name: functionName,
    queueName: binding.queueName,
    connection: binding.connection,
    isSessionsEnabled: binding.isSessionsEnabled === true,
    cardinality,
    ...(typeof binding.autoCompleteMessages === 'boolean'
      ? { autoCompleteMessages: binding.autoCompleteMessages }
      : {}),
    handler,
  };
}
