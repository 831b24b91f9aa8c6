// OneDrive through @microsoft/microsoft-graph-client on a listener of the test's own: GET /users/{id}/drive (404
// "User's mysite not found." until provisioned; app-only never provisions, the user's own delegated call does),
// GET /drives/{id}, POST .../root/invite and the root's permissions, with OneDrive's accessDenied and
// invalidRequest errors (graph-spec.md §8).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  appToken,
  graphClient,
  graphError,
  list,
  httpsRequest,
  startGraphRoutes,
  startTestCloud,
  userToken,
  type Loose,
  type TestCloud,
} from '../exchange/helpers';

let cloud: TestCloud;
let graph: { url: string; close(): Promise<void> };
const upn = (name: string): string => `${name}@${cloud.domain}`;
const userId = (name: string): string =>
  [...cloud.tenant.users.values()].find((u) => u.properties.userPrincipalName === upn(name))!.id;

const client = (token: string) => graphClient(graph.url, token);

const provision = (name: string) =>
  httpsRequest(
    `${cloud.emulator.context.endpoints.admin}/onedrive/${cloud.tenant.id}/users/${upn(name)}/provision`,
    cloud.ca,
    {
      method: 'POST',
    },
  );

before(async () => {
  cloud = await startTestCloud();
  graph = await startGraphRoutes(cloud);
});
after(async () => {
  await graph.close();
  await cloud.close();
});

describe('GET /users/{id}/drive', () => {
  it('returns a provisioned business drive with owner and quota', async () => {
    const drive = (await client(appToken(cloud, 'graphReader', 'graph'))
      .api(`/users/${upn('frank')}/drive`)
      .get()) as Loose;
    assert.equal(drive.driveType, 'business');
    assert.match(String(drive.id), /^b!/);
    assert.equal(drive.owner?.user?.id, userId('frank'));
    assert.equal(drive.owner?.user?.displayName, 'Frank Provisioned');
    assert.equal(drive.quota?.total, 1024 ** 4);
    const byId = (await client(appToken(cloud, 'graphReader', 'graph'))
      .api(`/drives/${String(drive.id)}`)
      .get()) as Loose;
    assert.equal(byId.id, drive.id);
  });

  it('answers 404 "User\'s mysite not found." before provisioning; app-only access does not provision', async () => {
    const api = client(appToken(cloud, 'graphWriter', 'graph'));
    const missing = await graphError(api.api(`/users/${upn('alice')}/drive`).get());
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.code, 'ResourceNotFound');
    assert.equal(missing.message, "User's mysite not found.");
    const still = await graphError(api.api(`/users/${upn('alice')}/drive`).get());
    assert.equal(still.statusCode, 404);
    assert.equal((await provision('alice')).status, 200);
    const drive = (await api.api(`/users/${upn('alice')}/drive`).get()) as Loose;
    assert.equal(drive.owner?.user?.id, userId('alice'));
  });

  it("provisions on the user's own delegated call when licensed, never without a SharePoint plan", async () => {
    const mine = (await client(userToken(cloud, upn('bob'), 'graph', ['Files.ReadWrite']))
      .api('/me/drive')
      .get()) as Loose;
    assert.equal(mine.owner?.user?.id, userId('bob'));
    const carol = await graphError(
      client(userToken(cloud, upn('carol'), 'graph', ['Files.ReadWrite']))
        .api('/me/drive')
        .get(),
    );
    assert.equal(carol.statusCode, 404);
    const erin = await provision('erin');
    assert.equal(erin.status, 409, 'SharePoint Web Apps alone carries no OneDrive');
  });

  it('requires a Files or Sites permission (403 accessDenied) and a Graph token (401)', async () => {
    const denied = await graphError(
      client(appToken(cloud, 'graphNone', 'graph'))
        .api(`/users/${upn('frank')}/drive`)
        .get(),
    );
    assert.equal(denied.statusCode, 403);
    assert.equal(denied.code, 'accessDenied');
    const wrong = await graphError(
      client(appToken(cloud, 'admin', 'exchange'))
        .api(`/users/${upn('frank')}/drive`)
        .get(),
    );
    assert.equal(wrong.statusCode, 401);
  });

  it('answers 404 for an unknown user and an unknown drive id', async () => {
    const api = client(appToken(cloud, 'graphReader', 'graph'));
    assert.equal((await graphError(api.api('/users/ghost@nowhere.test/drive').get())).statusCode, 404);
    const drive = await graphError(api.api('/drives/b!doesnotexist').get());
    assert.equal(drive.statusCode, 404);
    assert.equal(drive.code, 'itemNotFound');
  });
});

describe('POST /drives/{id}/root/invite', () => {
  it("grants the manager write access, answers {value:[permission]}, and lists it after the owner's", async () => {
    const api = client(appToken(cloud, 'graphWriter', 'graph'));
    const drive = (await api.api(`/users/${upn('frank')}/drive`).get()) as Loose;
    const invite = {
      recipients: [{ email: upn('bob') }],
      roles: ['write'],
      requireSignIn: true,
      sendInvitation: false,
      message: 'Frank has left; his files are yours.',
    };
    const answer = (await api.api(`/drives/${String(drive.id)}/root/invite`).post(invite)) as Loose;
    const [permission] = list(answer.value);
    assert.deepEqual(permission!.roles, ['write']);
    assert.equal(permission!.grantedToV2?.user?.id, userId('bob'));
    assert.equal(permission!.grantedTo?.user?.id, userId('bob'));
    assert.equal(permission!.invitation?.signInRequired, true);
    const again = (await api.api(`/users/${upn('frank')}/drive/root/invite`).post(invite)) as Loose;
    assert.equal(list(again.value)[0]!.id, permission!.id, 're-inviting returns the same grant');
    const listed = (await api.api(`/drives/${String(drive.id)}/root/permissions`).get()) as Loose;
    const perms = list(listed.value);
    assert.deepEqual(
      perms.map((p) => list(p.roles)[0]),
      ['owner', 'write'],
    );
    assert.equal(perms[1]!.grantedToV2?.user?.id, userId('bob'));
  });

  it('requires Files.ReadWrite.All or Sites.ReadWrite.All for app-only callers', async () => {
    const drive = (await client(appToken(cloud, 'graphReader', 'graph'))
      .api(`/users/${upn('frank')}/drive`)
      .get()) as Loose;
    const denied = await graphError(
      client(appToken(cloud, 'graphReader', 'graph'))
        .api(`/drives/${String(drive.id)}/root/invite`)
        .post({ recipients: [{ email: upn('alice') }], roles: ['read'] }),
    );
    assert.equal(denied.statusCode, 403);
    assert.equal(denied.code, 'accessDenied');
  });

  it('refuses an unknown recipient (no new guests with app-only access), a bad role and no recipients', async () => {
    const api = client(appToken(cloud, 'graphWriter', 'graph')).api(
      `/users/${upn('frank')}/drive/root/invite`,
    );
    const guest = await graphError(
      api.post({ recipients: [{ email: 'someone@elsewhere.test' }], roles: ['read'] }),
    );
    assert.equal(guest.statusCode, 400);
    assert.equal(guest.code, 'invalidRequest');
    const role = await graphError(api.post({ recipients: [{ email: upn('bob') }], roles: ['admin'] }));
    assert.equal(role.code, 'invalidRequest');
    const empty = await graphError(api.post({ recipients: [], roles: ['read'] }));
    assert.equal(empty.code, 'invalidRequest');
    const drive = [...cloud.tenant.drives.values()].find((d) => d.userId === userId('frank'))!;
    assert.equal(drive.permissions.length, 1, 'a refused invite grants nothing');
  });

  it('removes a granted permission but never the owner', async () => {
    const api = client(appToken(cloud, 'graphWriter', 'graph'));
    const listed = list(
      ((await api.api(`/users/${upn('frank')}/drive/root/permissions`).get()) as Loose).value,
    );
    const owner = await graphError(
      api.api(`/users/${upn('frank')}/drive/root/permissions/${String(listed[0]!.id)}`).delete(),
    );
    assert.equal(owner.statusCode, 403);
    await api.api(`/users/${upn('frank')}/drive/root/permissions/${String(listed[1]!.id)}`).delete();
    const after = list(
      ((await api.api(`/users/${upn('frank')}/drive/root/permissions`).get()) as Loose).value,
    );
    assert.equal(after.length, 1);
  });
});
