// Wires the leaver playbook's op kinds (Exchange and OneDrive) for ops/index.ts.
import './kinds';
import { revokeOneDriveShare } from '../onedrive/revokeOneDriveShare';
import { shareOneDrive } from '../onedrive/shareOneDrive';
import { addMailboxPermission } from './addMailboxPermission';
import { addRecipientPermission } from './addRecipientPermission';
import { removeMailAliases } from './removeMailAliases';
import { removeMailboxPermission } from './removeMailboxPermission';
import { removeRecipientPermission } from './removeRecipientPermission';
import { setAddressListVisibility } from './setAddressListVisibility';
import { setAutoReply } from './setAutoReply';
import { setForwarding } from './setForwarding';
import { setLitigationHold } from './setLitigationHold';
import { setMailboxType } from './setMailboxType';

export const PLAYBOOK_OP_MODULES = {
  setLitigationHold,
  setMailboxType,
  addMailboxPermission,
  addRecipientPermission,
  removeMailboxPermission,
  removeRecipientPermission,
  setAutoReply,
  setForwarding,
  setAddressListVisibility,
  removeMailAliases,
  shareOneDrive,
  revokeOneDriveShare,
};

export { PLAYBOOK_OPERATION_KINDS } from './kinds';
