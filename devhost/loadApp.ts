// Loads the compiled function app exactly as the Functions host would (package.json "main"), with a stand-in for
// the worker's virtual module `@azure/functions-core` that records every registration. The dev host and the
// registration test both use it, so there is no second list of functions anywhere.
import Module from 'node:module';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface BindingMetadata {
  type: string;
  direction: 'in' | 'out';
  [key: string]: unknown;
}

export interface RegisteredFunction {
  name: string;
  bindings: Record<string, BindingMetadata>;
  retryOptions?: unknown;
  handler: (...args: unknown[]) => unknown;
}

export interface LoadedApp {
  functions: RegisteredFunction[];
  hooks: { name: string; callback: (...args: unknown[]) => unknown }[];
  /** The trigger binding of a function. */
  trigger(fn: RegisteredFunction): BindingMetadata;
}

/** The repository root (dist/devhost → ../..). */
export const APP_ROOT = resolve(__dirname, '..', '..');

const CORE = '@azure/functions-core';

interface ModuleInternals {
  _resolveFilename: (request: string, ...rest: unknown[]) => string;
}

/** Loads the app whose package.json is in `root` and returns what it registered. Call once per process. */
export function loadApp(root: string = APP_ROOT): LoadedApp {
  const functions: RegisteredFunction[] = [];
  const hooks: LoadedApp['hooks'] = [];
  const fakeCore = {
    setProgrammingModel(): void {},
    getProgrammingModel(): undefined {
      return undefined;
    },
    log(): void {},
    registerFunction(metadata: Omit<RegisteredFunction, 'handler'>, handler: RegisteredFunction['handler']) {
      functions.push({ ...metadata, handler });
      return { dispose(): void {} };
    },
    registerHook(name: string, callback: (...args: unknown[]) => unknown) {
      hooks.push({ name, callback });
      return { dispose(): void {} };
    },
  };
  const internals = Module as unknown as ModuleInternals;
  const original = internals._resolveFilename;
  internals._resolveFilename = function (request: string, ...rest: unknown[]): string {
    return request === CORE ? CORE : original.call(this, request, ...rest);
  };
  require.cache[CORE] = {
    id: CORE,
    filename: CORE,
    loaded: true,
    exports: fakeCore,
  } as unknown as NodeJS.Module;
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string };
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the host loads "main" with require, so do we.
  require(join(root, pkg.main));
  return {
    functions,
    hooks,
    trigger(fn) {
      const trigger = Object.values(fn.bindings).find(
        (b) => b.direction === 'in' && String(b.type).endsWith('Trigger'),
      );
      if (!trigger) throw new Error(`function ${fn.name} has no trigger binding`);
      return trigger;
    },
  };
}
