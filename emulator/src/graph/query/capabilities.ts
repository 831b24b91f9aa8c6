// Which $filter operators each resource's properties support by default and which only as advanced queries
// (ConsistencyLevel: eventual + $count=true), from https://learn.microsoft.com/graph/aad-advanced-queries
// (tables "User properties", "Group properties", "Service principal properties") — graph-spec.md §1.4.
import type { FilterNode } from './filterParser';

/** Operator kinds a filter leaf uses. `null` is `eq null`; `any-*` are lambda operators on collections. */
export type FilterOp =
  | 'eq'
  | 'in'
  | 'ne'
  | 'not'
  | 'ge'
  | 'le'
  | 'startsWith'
  | 'endsWith'
  | 'null'
  | 'any-eq'
  | 'any-startsWith'
  | 'any-endsWith';

export interface PropertyCapability {
  /** Graph's spelling of the property (or path, e.g. employeeOrgData/costCenter). */
  name: string;
  default: FilterOp[];
  advanced: FilterOp[];
}

export type CapabilityTable = Map<string, PropertyCapability>;

const EQ_IN: FilterOp[] = ['eq', 'in'];
const STRING_DEFAULT: FilterOp[] = ['eq', 'in', 'startsWith'];
const STRING_ADVANCED: FilterOp[] = ['ne', 'not', 'null', 'ge', 'le'];

export function table(entries: PropertyCapability[]): CapabilityTable {
  return new Map(entries.map((e) => [e.name.toLowerCase(), e]));
}

const str = (name: string, extraAdvanced: FilterOp[] = []): PropertyCapability => ({
  name,
  default: STRING_DEFAULT,
  advanced: [...STRING_ADVANCED, ...extraAdvanced],
});
const advancedOnly = (name: string, ops: FilterOp[]): PropertyCapability => ({
  name,
  default: [],
  advanced: ops,
});
const collection = (name: string): PropertyCapability => ({
  name,
  default: ['any-eq', 'any-startsWith'],
  advanced: ['not', 'null', 'any-endsWith'],
});

export const USER_FILTERS = table([
  { name: 'id', default: EQ_IN, advanced: ['ne', 'not', 'ge', 'le'] },
  str('userPrincipalName', ['endsWith']),
  str('mail', ['endsWith']),
  // endsWith is an advanced operator on mail, userPrincipalName and proxyAddresses only.
  str('mailNickname'),
  str('displayName'),
  str('givenName'),
  str('surname'),
  str('jobTitle'),
  str('department'),
  str('city'),
  str('country'),
  str('state'),
  str('companyName'),
  str('officeLocation'),
  str('preferredLanguage'),
  str('employeeId'),
  str('onPremisesSamAccountName'),
  {
    name: 'onPremisesImmutableId',
    default: EQ_IN,
    advanced: ['ne', 'not', 'null', 'startsWith', 'ge', 'le'],
  },
  { name: 'usageLocation', default: EQ_IN, advanced: ['ne', 'not', 'null', 'startsWith', 'ge', 'le'] },
  { name: 'userType', default: EQ_IN, advanced: ['ne', 'not', 'null'] },
  { name: 'accountEnabled', default: ['eq'], advanced: ['ne', 'not', 'null'] },
  { name: 'onPremisesSyncEnabled', default: ['eq'], advanced: ['ne', 'not', 'null'] },
  advancedOnly('employeeType', ['eq', 'in', 'ne', 'not', 'null', 'startsWith']),
  advancedOnly('employeeHireDate', ['eq', 'in', 'ne', 'not', 'ge', 'le', 'null']),
  advancedOnly('employeeLeaveDateTime', ['eq', 'in', 'ne', 'not', 'ge', 'le', 'null']),
  advancedOnly('createdDateTime', ['eq', 'in', 'ne', 'not', 'ge', 'le', 'null']),
  advancedOnly('employeeOrgData/costCenter', ['eq', 'in', 'ne', 'not', 'startsWith', 'null']),
  advancedOnly('employeeOrgData/division', ['eq', 'in', 'ne', 'not', 'startsWith', 'null']),
  collection('proxyAddresses'),
  collection('otherMails'),
  collection('businessPhones'),
  { name: 'mobilePhone', default: STRING_DEFAULT, advanced: STRING_ADVANCED },
  // assignedLicenses/any(x:x/skuId eq {guid}) — "users with a given licence" (aad-advanced-queries).
  { name: 'assignedLicenses/skuId', default: ['any-eq'], advanced: ['not'] },
  ...Array.from({ length: 15 }, (_, i) =>
    advancedOnly(`onPremisesExtensionAttributes/extensionAttribute${i + 1}`, [
      'eq',
      'in',
      'ne',
      'not',
      'null',
      'startsWith',
    ]),
  ),
]);

export const GROUP_FILTERS = table([
  { name: 'id', default: EQ_IN, advanced: ['ne', 'not', 'ge', 'le'] },
  str('displayName'),
  str('mail', ['endsWith']),
  str('mailNickname'),
  str('description'),
  { name: 'mailEnabled', default: ['eq'], advanced: ['ne', 'not', 'null'] },
  { name: 'securityEnabled', default: ['eq'], advanced: ['ne', 'not', 'null'] },
  { name: 'isAssignableToRole', default: ['eq'], advanced: ['ne', 'not', 'null'] },
  advancedOnly('createdDateTime', ['eq', 'in', 'ne', 'not', 'ge', 'le', 'null']),
  { name: 'groupTypes', default: ['any-eq'], advanced: ['not', 'null'] },
  collection('proxyAddresses'),
]);

export const SERVICE_PRINCIPAL_FILTERS = table([
  { name: 'id', default: EQ_IN, advanced: ['ne', 'not'] },
  { name: 'appId', default: EQ_IN, advanced: ['ne', 'not', 'null'] },
  str('displayName'),
  { name: 'servicePrincipalType', default: EQ_IN, advanced: ['ne', 'not', 'null'] },
  { name: 'accountEnabled', default: ['eq'], advanced: ['ne', 'not'] },
  { name: 'appOwnerOrganizationId', default: EQ_IN, advanced: ['ne', 'not'] },
  { name: 'servicePrincipalNames', default: ['any-eq', 'any-startsWith'], advanced: ['not'] },
]);

export const ROLE_ASSIGNMENT_FILTERS = table([
  { name: 'id', default: EQ_IN, advanced: [] },
  { name: 'principalId', default: EQ_IN, advanced: [] },
  { name: 'roleDefinitionId', default: EQ_IN, advanced: [] },
  { name: 'directoryScopeId', default: EQ_IN, advanced: [] },
]);

export const ROLE_DEFINITION_FILTERS = table([
  { name: 'id', default: EQ_IN, advanced: [] },
  { name: 'displayName', default: STRING_DEFAULT, advanced: [] },
  { name: 'templateId', default: EQ_IN, advanced: [] },
  { name: 'isBuiltIn', default: ['eq'], advanced: [] },
]);

/** The result of classifying a filter: fine by default, needs the advanced parameters, or not supported. */
export type FilterClass =
  | { kind: 'default' }
  | { kind: 'advanced' }
  | { kind: 'unsupportedProperty'; property: string }
  | { kind: 'unsupportedOperator'; property: string; op: FilterOp };

function leafOp(node: FilterNode): { path: string[]; op: FilterOp } | undefined {
  switch (node.kind) {
    case 'cmp':
      if (node.op === 'eq') return { path: node.path, op: node.value === null ? 'null' : 'eq' };
      if (node.op === 'ne') return { path: node.path, op: 'ne' };
      if (node.op === 'ge' || node.op === 'gt') return { path: node.path, op: 'ge' };
      return { path: node.path, op: 'le' };
    case 'in':
      return { path: node.path, op: 'in' };
    case 'fn':
      return { path: node.path, op: node.name === 'startswith' ? 'startsWith' : 'endsWith' };
    default:
      return undefined;
  }
}

export function classifyFilter(
  node: FilterNode,
  capabilities: CapabilityTable,
  lambdaVar?: string,
): FilterClass {
  const worst = (a: FilterClass, b: FilterClass): FilterClass => {
    const rank = { default: 0, advanced: 1, unsupportedOperator: 2, unsupportedProperty: 3 } as const;
    return rank[b.kind] > rank[a.kind] ? b : a;
  };
  const check = (path: string[], op: FilterOp): FilterClass => {
    const name = path.join('/');
    const cap = capabilities.get(name.toLowerCase());
    if (!cap) return { kind: 'unsupportedProperty', property: name };
    if (cap.default.includes(op)) return { kind: 'default' };
    if (cap.advanced.includes(op)) return { kind: 'advanced' };
    return { kind: 'unsupportedOperator', property: cap.name, op };
  };
  switch (node.kind) {
    case 'and':
    case 'or':
      return worst(
        classifyFilter(node.left, capabilities, lambdaVar),
        classifyFilter(node.right, capabilities, lambdaVar),
      );
    case 'not': {
      // `not` is an advanced operator wherever the negated property supports it.
      const inner = classifyFilter(node.expr, capabilities, lambdaVar);
      return inner.kind === 'default' ? { kind: 'advanced' } : inner;
    }
    case 'any': {
      const body = node.body;
      const leaf = leafOp(body);
      if (!leaf || leaf.path[0] !== node.variable || leaf.path.length > 2)
        return { kind: 'unsupportedOperator', property: node.path.join('/'), op: 'any-eq' };
      const op: FilterOp =
        leaf.op === 'startsWith' ? 'any-startsWith' : leaf.op === 'endsWith' ? 'any-endsWith' : 'any-eq';
      // x:x eq … checks the collection; x:x/skuId eq … checks a member property of its items.
      return check(leaf.path.length === 2 ? [...node.path, leaf.path[1]!] : node.path, op);
    }
    default: {
      const leaf = leafOp(node)!;
      return check(leaf.path, leaf.op);
    }
  }
}
