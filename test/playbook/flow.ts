// The engine's test flow with a leaver playbook on termination and on security leave, parsed by the real loader.
import { parseFlow, type Flow } from '../../shared/flows/index';
import { TEST_FLOW_YAML } from '../engine/testFlow';

export const PLAYBOOK = `
    playbook:
      - step: litigationHold
        when: { attribute: Dept, operator: EQUALS, value: Legal }
        with: { durationDays: 365 }
      - step: convertToSharedMailbox
      - step: grantMailboxAccess
        with: { to: manager }
      - step: setAutoReply
        with:
          internalMessage: { expr: 'Join(" ", [First], [Last], "has left the company.")' }
          externalMessage: { expr: 'Join(" ", [First], [Last], "is no longer with Contoso.")' }
          externalAudience: All
      - step: forwardMail
        with: { to: manager, keepCopy: true }
      - step: hideFromAddressLists
      - step: removeAliases
      - step: shareOneDrive
        with: { to: manager, role: write }`;

/** `revokeOnReturn`: the hand-over is taken back when the worker returns (Full Access, Send As, OneDrive). */
export interface PlaybookFlowOptions {
  readonly revokeOnReturn?: boolean;
}

function playbookYaml(options: PlaybookFlowOptions): string {
  if (!options.revokeOnReturn) return PLAYBOOK;
  return PLAYBOOK.replace(
    '- step: grantMailboxAccess\n        with: { to: manager }',
    '- step: grantMailboxAccess\n        with: { to: manager, revokeOnReturn: true }',
  ).replace('with: { to: manager, role: write }', 'with: { to: manager, role: write, revokeOnReturn: true }');
}

export function playbookFlowYaml(
  connection = 'demo',
  domain = 'contoso.test',
  options: PlaybookFlowOptions = {},
): string {
  return TEST_FLOW_YAML.replace('connection: demo', `connection: ${connection}`)
    .replaceAll('contoso.test', domain)
    .replace(
      '  termination: { disable: true, revokeSessions: true, removeGroups: true, removeLicenses: true }',
      `  termination:
    disable: true
    revokeSessions: true
    removeGroups: true
    removeLicenses: true${playbookYaml(options)}`,
    );
}

export function playbookFlow(
  connection = 'demo',
  domain = 'contoso.test',
  options: PlaybookFlowOptions = {},
): Flow {
  return parseFlow(playbookFlowYaml(connection, domain, options), 'playbook-flow.yaml');
}
