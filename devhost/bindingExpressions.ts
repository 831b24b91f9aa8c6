// App-setting binding expressions: the Functions host replaces `%NAME%` in trigger and binding properties with the
// app setting NAME (e.g. `queueName: '%TENURE_HR_QUEUE%'`). The dev host does the same, and refuses to start a
// function whose setting is missing, as the host does.
import type { BindingMetadata, LoadedApp } from './loadApp';

export class BindingExpressionError extends Error {
  readonly code = 'DEVHOST_BINDING_EXPRESSION';
}

export function resolveBindingExpressions(
  functionName: string,
  binding: BindingMetadata,
  settings: Record<string, string | undefined>,
): BindingMetadata {
  const out: BindingMetadata = { ...binding };
  for (const [key, value] of Object.entries(binding)) {
    if (typeof value !== 'string' || !value.includes('%')) continue;
    out[key] = value.replace(/%([^%]+)%/g, (_, name: string) => {
      const v = settings[name];
      if (v === undefined || v === '') {
        throw new BindingExpressionError(
          `${functionName}: binding property ${key} names app setting ${name}, which is not set`,
        );
      }
      return v;
    });
  }
  return out;
}

/** `AzureWebJobs.<name>.Disabled=true` turns a function off, as in Azure. */
export function isDisabled(functionName: string, settings: Record<string, string | undefined>): boolean {
  return (settings[`AzureWebJobs.${functionName}.Disabled`] ?? '').toLowerCase() === 'true';
}

/** The app as the host runs it with these settings: disabled functions left out, binding expressions resolved. */
export function applySettings(loaded: LoadedApp, settings: Record<string, string | undefined>): LoadedApp {
  const functions = loaded.functions
    .filter((f) => !isDisabled(f.name, settings))
    .map((f) => ({
      ...f,
      bindings: Object.fromEntries(
        Object.entries(f.bindings).map(([name, b]) => [name, resolveBindingExpressions(f.name, b, settings)]),
      ),
    }));
  return { ...loaded, functions };
}
