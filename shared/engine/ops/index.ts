// Wires every operation kind to its module. Later modules (Exchange/OneDrive playbook) register theirs here.
import type { OpModule } from '../apply/context';
import type { OperationKind } from '../plan/model';
import { addGroupMember } from './addGroupMember';
import { assignLicenses } from './assignLicenses';
import { awaitManager } from './awaitManager';
import { createUser } from './createUser';
import { deleteUser } from './deleteUser';
import { disableUser } from './disableUser';
import { enableUser } from './enableUser';
import { noop } from './noop';
import { redriveReports } from './redriveReports';
import { removeGroupMember } from './removeGroupMember';
import { removeLicenses } from './removeLicenses';
import { removeManager } from './removeManager';
import { restoreUser } from './restoreUser';
import { revokeSessions } from './revokeSessions';
import { scheduleFollowUp } from './scheduleFollowUp';
import { setInitialCredential } from './setInitialCredential';
import { setManager } from './setManager';
import { updateUser } from './updateUser';
import { PLAYBOOK_OP_MODULES } from './exchange';

export type OpRegistry = { readonly [K in OperationKind]: OpModule<K> };

export const OP_MODULES: OpRegistry = {
  createUser,
  updateUser,
  enableUser,
  disableUser,
  revokeSessions,
  setManager,
  removeManager,
  awaitManager,
  addGroupMember,
  removeGroupMember,
  assignLicenses,
  removeLicenses,
  restoreUser,
  deleteUser,
  setInitialCredential,
  scheduleFollowUp,
  redriveReports,
  noop,
  // Leaver playbook (Exchange, OneDrive): shared/engine/ops/exchange/index.ts.
  ...PLAYBOOK_OP_MODULES,
};
