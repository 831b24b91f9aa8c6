// Graph mailboxSettings through @microsoft/microsoft-graph-client (customHosts) on a listener of the test's own:
// automaticRepliesSetting shares its state with Set-/Get-MailboxAutoReplyConfiguration, with the vocabulary mapped
// (alwaysEnabled↔Enabled, contactsOnly↔Known), MailboxSettings.* permissions, and Graph's errors for bad values.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  appToken,
  graphClient,
  graphError,
  list,
  invoke,
  startGraphRoutes,
  startTestCloud,
  userToken,
  type Loose,
  type TestCloud,
} from './helpers';

let cloud: TestCloud;
let graph: { url: string; close(): Promise<void> };
const upn = (name: string): string => `${name}@${cloud.domain}`;

const client = (token: string) => graphClient(graph.url, token);

before(async () => {
  cloud = await startTestCloud();
  graph = await startGraphRoutes(cloud);
});
after(async () => {
  await graph.close();
  await cloud.close();
});

describe('GET/PATCH /users/{id}/mailboxSettings', () => {
  it('reads the default settings with auto-replies disabled', async () => {
    const settings = (await client(appToken(cloud, 'graphReader', 'graph'))
      .api(`/users/${upn('alice')}/mailboxSettings`)
      .get()) as Loose;
    assert.equal(settings.automaticRepliesSetting?.status, 'disabled');
    assert.equal(settings.automaticRepliesSetting?.externalAudience, 'all');
    assert.equal(settings.userPurpose, 'user');
    assert.equal(settings.timeZone, 'UTC');
  });

  it('patches a scheduled reply, answers 200 with the settings, and Exchange sees the same state', async () => {
    const patch = {
      automaticRepliesSetting: {
        status: 'scheduled',
        externalAudience: 'contactsOnly',
        internalReplyMessage: '<html><body>Gone, ask Bob.</body></html>',
        externalReplyMessage: '<html><body>Gone.</body></html>',
        scheduledStartDateTime: {
          dateTime: '2030-03-20T18:00:00.0000000',
          timeZone: 'Pacific Standard Time',
        },
        scheduledEndDateTime: { dateTime: '2030-03-28T18:00:00.0000000', timeZone: 'UTC' },
      },
    };
    const answer = (await client(appToken(cloud, 'graphWriter', 'graph'))
      .api(`/users/${upn('alice')}/mailboxSettings`)
      .patch(patch)) as Loose;
    assert.equal(answer.automaticRepliesSetting?.status, 'scheduled');
    // 18:00 PDT on 20 March 2030 is 01:00 UTC the next day.
    assert.deepEqual(answer.automaticRepliesSetting?.scheduledStartDateTime, {
      dateTime: '2030-03-21T01:00:00.0000000',
      timeZone: 'UTC',
    });
    const exchange = await invoke(
      cloud,
      appToken(cloud, 'admin', 'exchange'),
      'Get-MailboxAutoReplyConfiguration',
      {
        Identity: upn('alice'),
      },
    );
    const [conf] = list(exchange.json.value);
    assert.equal(conf!.AutoReplyState, 'Scheduled');
    assert.equal(conf!.ExternalAudience, 'Known');
    assert.equal(conf!.StartTime, '2030-03-21T01:00:00.000Z');
    assert.equal(conf!.InternalMessage, '<html><body>Gone, ask Bob.</body></html>');
  });

  it('shows what Set-MailboxAutoReplyConfiguration set, in Graph vocabulary', async () => {
    await invoke(cloud, appToken(cloud, 'admin', 'exchange'), 'Set-MailboxAutoReplyConfiguration', {
      Identity: upn('bob'),
      AutoReplyState: 'Enabled',
      ExternalAudience: 'None',
    });
    const reply = (await client(appToken(cloud, 'graphReader', 'graph'))
      .api(`/users/${upn('bob')}/mailboxSettings/automaticRepliesSetting`)
      .get()) as Loose;
    assert.equal(reply.status, 'alwaysEnabled');
    assert.equal(reply.externalAudience, 'none');
  });

  it('refuses bad values with Graph error codes and changes nothing', async () => {
    const api = client(appToken(cloud, 'graphWriter', 'graph')).api(`/users/${upn('carol')}/mailboxSettings`);
    const status = await graphError(api.patch({ automaticRepliesSetting: { status: 'sometimes' } }));
    assert.equal(status.statusCode, 400);
    assert.equal(status.code, 'RequestBodyRead');
    const zone = await graphError(
      api.patch({
        automaticRepliesSetting: {
          status: 'scheduled',
          scheduledStartDateTime: { dateTime: '2030-01-01T00:00:00', timeZone: 'Mars/Olympus' },
        },
      }),
    );
    assert.equal(zone.code, 'InvalidTimeZone');
    const order = await graphError(
      api.patch({
        automaticRepliesSetting: {
          status: 'scheduled',
          scheduledStartDateTime: { dateTime: '2030-02-01T00:00:00', timeZone: 'UTC' },
          scheduledEndDateTime: { dateTime: '2030-01-01T00:00:00', timeZone: 'UTC' },
        },
      }),
    );
    assert.equal(order.code, 'ErrorInvalidTimeSettings');
    const unknown = await graphError(api.patch({ automaticRepliesSetting: { colour: 'blue' } }));
    assert.equal(unknown.code, 'RequestBodyRead');
    const after = (await api.get()) as Loose;
    assert.equal(after.automaticRepliesSetting?.status, 'disabled');
  });

  it('requires MailboxSettings.ReadWrite to patch and MailboxSettings.Read(Write) to read', async () => {
    const patch = await graphError(
      client(appToken(cloud, 'graphReader', 'graph'))
        .api(`/users/${upn('alice')}/mailboxSettings`)
        .patch({ automaticRepliesSetting: { status: 'disabled' } }),
    );
    assert.equal(patch.statusCode, 403);
    assert.equal(patch.code, 'ErrorAccessDenied');
    const read = await graphError(
      client(appToken(cloud, 'graphNone', 'graph'))
        .api(`/users/${upn('alice')}/mailboxSettings`)
        .get(),
    );
    assert.equal(read.statusCode, 403);
    const exchangeToken = await graphError(
      client(appToken(cloud, 'admin', 'exchange'))
        .api(`/users/${upn('alice')}/mailboxSettings`)
        .get(),
    );
    assert.equal(exchangeToken.statusCode, 401);
    assert.equal(exchangeToken.code, 'InvalidAuthenticationToken');
  });

  it('answers 404 for a user without a mailbox and for an unknown user', async () => {
    const api = client(appToken(cloud, 'graphWriter', 'graph'));
    const noMailbox = await graphError(api.api(`/users/${upn('dave')}/mailboxSettings`).get());
    assert.equal(noMailbox.statusCode, 404);
    assert.equal(noMailbox.code, 'MailboxNotEnabledForRESTAPI');
    const unknown = await graphError(api.api('/users/ghost@nowhere.test/mailboxSettings').get());
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.code, 'ErrorInvalidUser');
  });

  it('answers 400 to /me with an app-only token', async () => {
    const me = await graphError(
      client(appToken(cloud, 'graphWriter', 'graph'))
        .api('/me/mailboxSettings')
        .get(),
    );
    assert.equal(me.statusCode, 400);
    assert.equal(me.code, 'BadRequest');
  });

  it("lets a signed-in user read their own settings (/me) but not someone else's", async () => {
    const token = userToken(cloud, upn('bob'), 'graph', ['MailboxSettings.ReadWrite']);
    const mine = (await client(token).api('/me/mailboxSettings').get()) as Loose;
    assert.equal(mine.automaticRepliesSetting?.status, 'alwaysEnabled');
    const theirs = await graphError(
      client(token)
        .api(`/users/${upn('alice')}/mailboxSettings`)
        .get(),
    );
    assert.equal(theirs.statusCode, 403);
  });
});
