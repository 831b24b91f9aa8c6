// Emulator-wide Graph settings: the throttling time scale and the random seed used for $batch shuffling.
// Set from the seed's `graph` block at start and by PUT /_emulator/graph/settings at run time.
import type { EmulatorState } from '../../state/store';
import { SeededRandom } from './random';

export interface GraphSettings {
  /**
   * Divides every throttling window and Retry-After (1 = real Graph timing; 60 = one real minute of quota per
   * second). Buckets keep Graph's sizes, so ratios stay the same.
   */
  timeScale: number;
  /** Seed of the random source for $batch response order. */
  randomSeed: number;
}

interface SettingsState {
  settings: GraphSettings;
  random: SeededRandom;
}

const KEY = 'graph.settings';

function stateOf(state: EmulatorState): SettingsState {
  return state.extension<SettingsState>(KEY, () => {
    const seed = state.seed.graph ?? {};
    const settings = validateSettings({ timeScale: 1, randomSeed: 1, ...seed }, 'seed graph');
    return { settings, random: new SeededRandom(settings.randomSeed) };
  });
}

export function graphSettings(state: EmulatorState): GraphSettings {
  return stateOf(state).settings;
}

/** The emulator-wide random source (batch shuffling); fault injection has one per tenant. */
export function graphRandom(state: EmulatorState): SeededRandom {
  return stateOf(state).random;
}

export function updateGraphSettings(state: EmulatorState, patch: Partial<GraphSettings>): GraphSettings {
  const s = stateOf(state);
  const next = validateSettings({ ...s.settings, ...patch }, 'graph settings');
  if (next.randomSeed !== s.settings.randomSeed) s.random = new SeededRandom(next.randomSeed);
  s.settings = next;
  return next;
}

export class GraphSettingsError extends Error {
  readonly code = 'EMULATOR_GRAPH_SETTINGS_INVALID';
}

function validateSettings(s: Partial<GraphSettings>, where: string): GraphSettings {
  const timeScale = Number(s.timeScale);
  if (!Number.isFinite(timeScale) || timeScale <= 0 || timeScale > 100_000)
    throw new GraphSettingsError(`${where}: timeScale must be a number > 0 and ≤ 100000`);
  const randomSeed = Number(s.randomSeed);
  if (!Number.isInteger(randomSeed)) throw new GraphSettingsError(`${where}: randomSeed must be an integer`);
  return { timeScale, randomSeed };
}
