/** Every function implementation by name; must cover exactly the names in signatures.ts (a test checks). */
import type { FunctionImpl } from '../runtime';
import { DATE_FUNCTIONS } from './dates';
import { LOGIC_FUNCTIONS } from './logic';
import { MISC_FUNCTIONS } from './misc';
import { MULTI_FUNCTIONS } from './multi';
import { REPLACE_FUNCTIONS } from './replace';
import { TEXT_FUNCTIONS } from './text';

export const IMPLEMENTATIONS: ReadonlyMap<string, FunctionImpl> = new Map(
  Object.entries({
    ...TEXT_FUNCTIONS,
    ...LOGIC_FUNCTIONS,
    ...DATE_FUNCTIONS,
    ...MULTI_FUNCTIONS,
    ...REPLACE_FUNCTIONS,
    ...MISC_FUNCTIONS,
  }),
);
