// Playbook fixtures for planner tests: a leaver's observed mailbox/OneDrive and the desired steps.
import type { ObservedMailbox, ObservedPlaybook } from '../../shared/playbook/model';
import type { StepOptions } from '../../shared/playbook/steps';

export const MANAGER = {
  objectId: 'u-m1',
  userPrincipalName: 'grace@contoso.test',
  mail: 'grace@contoso.test',
};

export const ALL_STEPS: StepOptions[] = [
  { kind: 'convertToSharedMailbox' },
  {
    kind: 'grantMailboxAccess',
    to: ['manager'],
    fullAccess: true,
    sendAs: true,
    autoMapping: true,
    revokeOnReturn: false,
  },
  {
    kind: 'setAutoReply',
    internalMessage: 'Ada Lovelace has left.',
    externalMessage: 'Ada Lovelace is no longer with Contoso.',
    externalAudience: 'All',
  },
  { kind: 'forwardMail', to: 'manager', keepCopy: true },
  { kind: 'hideFromAddressLists' },
  { kind: 'removeAliases' },
  { kind: 'shareOneDrive', to: ['manager'], role: 'write', revokeOnReturn: false },
];

export const HOLD: StepOptions = { kind: 'litigationHold', durationDays: 365, releaseOnReturn: false };

export function mailbox(over: Partial<ObservedMailbox['mailbox']> = {}, rest: Partial<ObservedMailbox> = {}) {
  return {
    status: 'present' as const,
    mailbox: {
      type: 'UserMailbox' as const,
      litigationHold: false,
      archive: false,
      hiddenFromAddressLists: false,
      forwardingSmtpAddress: null,
      deliverToMailboxAndForward: false,
      displayName: 'Ada Lovelace',
      emailAddresses: [
        'SMTP:ada.lovelace@contoso.test',
        'smtp:ada@contoso.test',
        'smtp:ada.lovelace@contoso.onmicrosoft.com',
      ],
      primarySmtpAddress: 'ada.lovelace@contoso.test',
      ...over,
    },
    sizeBytes: 2 * 1024 ** 3,
    autoReply: {
      state: 'Disabled' as const,
      internalMessage: '',
      externalMessage: '',
      externalAudience: 'All' as const,
    },
    fullAccess: [],
    sendAs: [],
    ...rest,
  };
}

/** The observation of a leaver before any step ran. */
export function before(over: Partial<ObservedPlaybook> = {}): ObservedPlaybook {
  return {
    mailbox: mailbox(),
    oneDrive: { status: 'present', driveId: 'b!drive', grants: [] },
    plan2SkuIds: ['sku-e3'],
    manager: MANAGER,
    ...over,
  };
}

/** The observation after every step ran (what a second run sees). */
export function after(over: Partial<ObservedPlaybook> = {}): ObservedPlaybook {
  return {
    mailbox: mailbox(
      {
        type: 'SharedMailbox',
        hiddenFromAddressLists: true,
        forwardingSmtpAddress: 'grace@contoso.test',
        deliverToMailboxAndForward: true,
        emailAddresses: ['SMTP:ada.lovelace@contoso.test', 'smtp:ada.lovelace@contoso.onmicrosoft.com'],
      },
      {
        autoReply: {
          state: 'Enabled',
          internalMessage: '<html>\n<body>\nAda Lovelace has left.\n</body>\n</html>\n',
          externalMessage: '<html>\n<body>\nAda Lovelace is no longer with Contoso.\n</body>\n</html>\n',
          externalAudience: 'All',
        },
        fullAccess: ['grace@contoso.test'],
        sendAs: ['grace@contoso.test'],
      },
    ),
    oneDrive: {
      status: 'present',
      driveId: 'b!drive',
      grants: [{ permissionId: 'p1', email: 'grace@contoso.test', userId: 'u-m1', roles: ['write'] }],
    },
    plan2SkuIds: [],
    manager: MANAGER,
    ...over,
  };
}
