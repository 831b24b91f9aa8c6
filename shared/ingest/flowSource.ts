/**
 * Finds a flow by name in the flows folder (TENURE_FLOWS_DIR): `<dir>/<name>.yaml` or `.yml`, whose `name` must
 * be the same. Loaded flows are cached per file modification time, so editing a flow takes effect without restart.
 */
import { statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { readSetting, type Env } from '../config/settings';
import { loadFlow, type Flow } from '../flows';

export type FlowSource = (name: string) => Flow | null;

const NAME = /^[A-Za-z0-9_-]{1,64}$/;

export function flowsFolder(env: Env, appRoot: string): string {
  const dir = readSetting(env, 'TENURE_FLOWS_DIR') ?? 'flows';
  return isAbsolute(dir) ? dir : join(appRoot, dir);
}

/** Throws FlowLoadError when the file exists but is not a valid flow. */
export function folderFlowSource(dir: string): FlowSource {
  const cache = new Map<string, { mtimeMs: number; flow: Flow }>();
  return (name) => {
    if (!NAME.test(name)) return null;
    for (const ext of ['.yaml', '.yml']) {
      const path = join(dir, name + ext);
      let mtimeMs: number;
      try {
        mtimeMs = statSync(path).mtimeMs;
      } catch {
        continue;
      }
      const hit = cache.get(path);
      if (hit && hit.mtimeMs === mtimeMs) return hit.flow;
      const flow = loadFlow(path);
      if (flow.name !== name) return null;
      cache.set(path, { mtimeMs, flow });
      return flow;
    }
    return null;
  };
}
