// The contract every emulated cmdlet follows: declared parameters, whether it changes anything (RBAC: read-only
// roles may run only cmdlets that do not), and a run function returning the value[] items and any warnings.
import type { EmulatorContext } from '../../context';
import type { Tenant } from '../../state/model';
import type { CmdletParameters } from '../params';

export interface Invocation {
  ctx: EmulatorContext;
  tenant: Tenant;
  params: CmdletParameters;
  now: number;
  /** Who runs the cmdlet (UPN for delegated callers, the app id for app-only), e.g. LitigationHoldOwner. */
  actor: string;
}

export interface CmdletResult {
  value: Record<string, unknown>[];
  warnings?: string[];
}

export interface CmdletDefinition {
  name: string;
  parameters: readonly string[];
  writes: boolean;
  run(invocation: Invocation): CmdletResult;
}

/** PowerShell's common parameters, accepted (and ignored) by every cmdlet. */
export const COMMON_PARAMETERS = [
  'Confirm',
  'ErrorAction',
  'WarningAction',
  'Verbose',
  'Debug',
  'WhatIf',
] as const;

export function noChangeWarning(identity: string): string {
  return `The command completed successfully but no settings of '${identity}' have been modified.`;
}
