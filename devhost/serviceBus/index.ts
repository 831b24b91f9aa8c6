// The dev host's Service Bus trigger runner: feed `app.serviceBusQueue` functions from the emulator (or Azure).
export { ServiceBusTriggerRunner, hostBody } from './runner';
export { serviceBusHostSettings, parseTimeSpan, HOST_DEFAULTS } from './hostSettings';
export { messageMetadata, batchMetadata } from './triggerMetadata';
export { serviceBusTriggerFromBinding } from './fromBinding';
export {
  ServiceBusTriggerConfigError,
  type RunnerLog,
  type ServiceBusHostSettings,
  type ServiceBusTriggerRegistration,
  type ServiceBusTriggerRunnerOptions,
} from './types';
