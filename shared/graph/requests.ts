/**
 * Pure builders of every Graph request the engine makes (the "build" step). URLs are relative to /v1.0. OData
 * string literals double single quotes; values are URL-encoded.
 */
import type { JsonValue } from '../engine/plan/model';
import type { GraphRequest } from './types';
import { userSelect } from './userShape';

export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function q(value: string): string {
  return encodeURIComponent(value);
}

/** `$select` of an observed user; `extra`: gated attributes the flow maps (see userShape.GATED_ATTRIBUTES). */
function select(extra: readonly string[] = []): string {
  return `$select=${userSelect(extra).join(',')}`;
}

export const build = {
  usersByEmployeeId(employeeId: string, extra: readonly string[] = []): GraphRequest {
    return {
      method: 'GET',
      url: `/users?$filter=${q(`employeeId eq ${odataString(employeeId)}`)}&${select(extra)}`,
    };
  },
  deletedUsersByEmployeeId(employeeId: string, extra: readonly string[] = []): GraphRequest {
    return {
      method: 'GET',
      url: `/directory/deletedItems/microsoft.graph.user?$filter=${q(`employeeId eq ${odataString(employeeId)}`)}&${select(extra)}`,
    };
  },
  userById(id: string, tolerateLag = false, extra: readonly string[] = []): GraphRequest {
    return { method: 'GET', url: `/users/${q(id)}?${select(extra)}`, tolerateLag };
  },
  /** Live users holding a naming value (UPN, mail or mailNickname) or a proxy address equal to it. */
  usersWithName(attribute: 'userPrincipalName' | 'mail' | 'mailNickname', value: string): GraphRequest {
    const filter =
      attribute === 'mailNickname'
        ? `mailNickname eq ${odataString(value)}`
        : `${attribute} eq ${odataString(value)} or proxyAddresses/any(p:p eq ${odataString(`smtp:${value}`)})`;
    return {
      method: 'GET',
      url: `/users?$filter=${q(filter)}&$select=id&$count=true`,
      headers: { ConsistencyLevel: 'eventual' },
    };
  },
  deletedUsersWithName(
    attribute: 'userPrincipalName' | 'mail' | 'mailNickname',
    value: string,
  ): GraphRequest {
    return {
      method: 'GET',
      url: `/directory/deletedItems/microsoft.graph.user?$filter=${q(`${attribute} eq ${odataString(value)}`)}&$select=id,userPrincipalName,mail,mailNickname`,
    };
  },
  memberOfGroups(userId: string): GraphRequest {
    return {
      method: 'GET',
      url: `/users/${q(userId)}/memberOf`,
      tolerateLag: true,
    };
  },
  licenseDetails(userId: string): GraphRequest {
    return { method: 'GET', url: `/users/${q(userId)}?$select=id,assignedLicenses`, tolerateLag: true };
  },
  manager(userId: string): GraphRequest {
    return { method: 'GET', url: `/users/${q(userId)}/manager?$select=id` };
  },
  groupById(id: string): GraphRequest {
    return { method: 'GET', url: `/groups/${q(id)}?$select=id` };
  },
  groupsByName(displayName: string): GraphRequest {
    return {
      method: 'GET',
      url: `/groups?$filter=${q(`displayName eq ${odataString(displayName)}`)}&$select=id`,
    };
  },
  subscribedSkus(): GraphRequest {
    return { method: 'GET', url: '/subscribedSkus?$select=skuId,skuPartNumber,prepaidUnits,consumedUnits' };
  },
  createUser(body: Readonly<Record<string, JsonValue>>): GraphRequest {
    return { method: 'POST', url: '/users', body };
  },
  updateUser(id: string, body: Readonly<Record<string, JsonValue>>): GraphRequest {
    return { method: 'PATCH', url: `/users/${q(id)}`, body, tolerateLag: true };
  },
  deleteUser(id: string): GraphRequest {
    return { method: 'DELETE', url: `/users/${q(id)}`, tolerateLag: true };
  },
  restoreUser(id: string): GraphRequest {
    return { method: 'POST', url: `/directory/deletedItems/${q(id)}/restore`, body: {} };
  },
  revokeSessions(id: string): GraphRequest {
    return { method: 'POST', url: `/users/${q(id)}/revokeSignInSessions`, body: {}, tolerateLag: true };
  },
  setManager(graphRoot: string, id: string, managerId: string): GraphRequest {
    return {
      method: 'PUT',
      url: `/users/${q(id)}/manager/$ref`,
      body: { '@odata.id': `${graphRoot}/v1.0/users/${managerId}` },
      tolerateLag: true,
    };
  },
  removeManager(id: string): GraphRequest {
    return { method: 'DELETE', url: `/users/${q(id)}/manager/$ref` };
  },
  addMember(graphRoot: string, groupId: string, userId: string): GraphRequest {
    return {
      method: 'POST',
      url: `/groups/${q(groupId)}/members/$ref`,
      body: { '@odata.id': `${graphRoot}/v1.0/directoryObjects/${userId}` },
      tolerateLag: true,
    };
  },
  /** Up to 20 members in one PATCH (all-or-nothing). */
  bindMembers(graphRoot: string, groupId: string, userIds: readonly string[]): GraphRequest {
    return {
      method: 'PATCH',
      url: `/groups/${q(groupId)}`,
      body: { 'members@odata.bind': userIds.map((id) => `${graphRoot}/v1.0/directoryObjects/${id}`) },
    };
  },
  removeMember(groupId: string, userId: string): GraphRequest {
    return { method: 'DELETE', url: `/groups/${q(groupId)}/members/${q(userId)}/$ref` };
  },
  assignLicense(id: string, add: readonly string[], remove: readonly string[]): GraphRequest {
    return {
      method: 'POST',
      url: `/users/${q(id)}/assignLicense`,
      body: { addLicenses: add.map((skuId) => ({ skuId, disabledPlans: [] })), removeLicenses: [...remove] },
      tolerateLag: true,
    };
  },
  temporaryAccessPass(id: string, lifetimeMinutes: number): GraphRequest {
    return {
      method: 'POST',
      url: `/users/${q(id)}/authentication/temporaryAccessPassMethods`,
      body: { lifetimeInMinutes: lifetimeMinutes, isUsableOnce: false },
      tolerateLag: true,
    };
  },
};
