// Client credentials against the emulator's sign-in service with Microsoft's SDKs as clients: MSAL Node (secret,
// certificate RS256/x5t and PS256/x5t#S256) and @azure/identity (secret, certificate, assertion), plus the
// negative cases asserted by AADSTS code.
import { ConfidentialClientApplication } from '@azure/msal-node';
import {
  ClientAssertionCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
} from '@azure/identity';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { RunningEmulator } from '../../../emulator/src/emulator';
import { checkAccessToken } from '../../../emulator/src/tokens/accessToken';
import {
  aadsts,
  aadstsOfError,
  admin,
  claimsOf,
  clientAssertion,
  emulator,
  isolatedTenant,
  testCertificate,
  tokenRequest,
  type TestCertificate,
  type TestTenant,
} from './helpers';

const GRAPH = 'https://graph.microsoft.com/.default';

describe('client credentials', () => {
  let emu: RunningEmulator;
  let t: TestTenant;
  let cert: TestCertificate;
  let login: string;
  let tokenEndpoint: string;

  before(async () => {
    emu = await emulator();
    login = emu.context.endpoints.login;
    t = await isolatedTenant(emu, 'cc');
    tokenEndpoint = `${login}/${t.id}/oauth2/v2.0/token`;
    cert = await testCertificate('cc-uploaded');
    const up = await admin(emu, 'POST', `/tenants/${t.id}/applications/${t.appId}/certificates`, {
      pem: cert.certPem,
    });
    assert.equal(up.status, 201);
  });
  after(() => emu.close());

  const msal = (auth: Record<string, unknown>) =>
    new ConfidentialClientApplication({
      auth: { clientId: t.appId, authority: `${login}/${t.domain}`, knownAuthorities: [login], ...auth },
    });

  it('MSAL Node with a client secret gets an app token carrying the granted roles and the SP object id', async () => {
    const result = await msal({ clientSecret: t.secret }).acquireTokenByClientCredential({ scopes: [GRAPH] });
    assert.ok(result);
    const claims = claimsOf(result.accessToken);
    assert.equal(claims.aud, 'https://graph.microsoft.com');
    assert.equal(claims.iss, `https://sts.windows.net/${t.id}/`);
    assert.equal(claims.tid, t.id);
    assert.equal(claims.appid, t.appId);
    assert.equal(claims.appidacr, '1');
    assert.deepEqual(claims.roles, ['User.ReadWrite.All']);
    const sp = (await admin(emu, 'GET', `/tenants/${t.id}/consents/${t.appId}`)).body;
    assert.equal(claims.oid, sp.servicePrincipalId);
  });

  it('MSAL Node with a certificate: RS256 + x5t (thumbprint) and PS256 + x5t#S256 (thumbprintSha256)', async () => {
    for (const clientCertificate of [
      { thumbprint: cert.sha1Hex, privateKey: cert.keyPem },
      { thumbprintSha256: cert.sha256Hex, privateKey: cert.keyPem },
    ]) {
      const result = await msal({ clientCertificate }).acquireTokenByClientCredential({ scopes: [GRAPH] });
      assert.equal(claimsOf(result!.accessToken).appidacr, '2');
    }
  });

  it('@azure/identity ClientSecretCredential, ClientCertificateCredential and ClientAssertionCredential', async () => {
    const options = { authorityHost: login, disableInstanceDiscovery: true };
    const secret = await new ClientSecretCredential(t.id, t.appId, t.secret, options).getToken(GRAPH);
    assert.equal(claimsOf(secret.token).appidacr, '1');
    const certificate = await new ClientCertificateCredential(
      t.id,
      t.appId,
      { certificate: cert.certPem + cert.keyPem },
      options,
    ).getToken('https://outlook.office365.com/.default');
    assert.equal(claimsOf(certificate.token).aud, 'https://outlook.office365.com');
    assert.equal(
      claimsOf(certificate.token).roles,
      undefined,
      'no Exchange permission granted → no roles claim',
    );
    const assertion = await new ClientAssertionCredential(
      t.id,
      t.appId,
      async () =>
        clientAssertion({ key: cert.privateKey, der: cert.der, clientId: t.appId, aud: tokenEndpoint }),
      options,
    ).getToken(GRAPH);
    assert.equal(claimsOf(assertion.token).appidacr, '2');
  });

  it('HTTP Basic client authentication works for secrets', async () => {
    const basic = Buffer.from(`${encodeURIComponent(t.appId)}:${encodeURIComponent(t.secret)}`).toString(
      'base64',
    );
    const r = await tokenRequest(
      emu,
      t.id,
      { grant_type: 'client_credentials', scope: GRAPH },
      { authorization: `Basic ${basic}` },
    );
    assert.equal(r.status, 200);
    assert.equal(r.body.token_type, 'Bearer');
    const logged = emu.context.state.log
      .since(0)
      .filter((e) => e.path.endsWith('/oauth2/v2.0/token'))
      .at(-1)!;
    assert.deepEqual(
      [logged.tenantId, logged.appId],
      [t.id, t.appId],
      'the request log attributes the token request',
    );
  });

  it('credentials a client puts in a URL stay out of the request log, whatever the route answers', async () => {
    const before = emu.context.state.log.lastSeq;
    const assertion = clientAssertion({
      key: cert.privateKey,
      der: cert.der,
      clientId: t.appId,
      aud: tokenEndpoint,
    });
    const secrets = new URLSearchParams({
      client_id: t.appId,
      client_secret: t.secret,
      client_assertion: assertion,
      emulator_password: t.password,
      refresh_token: 'rt-value-that-must-not-be-logged',
    });
    await (await fetch(`${tokenEndpoint}?${secrets.toString()}`, { method: 'POST' })).text();
    await (await fetch(`${login}/${t.id}/no-such-endpoint?${secrets.toString()}`)).text();
    const logged = emu.context.state.log.since(before);
    assert.equal(logged.length, 2);
    for (const e of logged) {
      for (const value of [t.secret, assertion, t.password, 'rt-value-that-must-not-be-logged'])
        assert.ok(!decodeURIComponent(e.query).includes(value), `${e.path} logged a credential`);
      assert.equal(new URLSearchParams(e.query).get('client_id'), t.appId, 'other parameters stay readable');
      assert.equal(new URLSearchParams(e.query).get('client_secret'), 'REDACTED');
    }
  });

  it('the v1 token endpoint takes a resource and answers in the v1 shape', async () => {
    const post = (form: Record<string, string>) =>
      fetch(`${login}/${t.id}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: t.appId,
          client_secret: t.secret,
          ...form,
        }),
      });
    const ok = await post({ resource: 'https://vault.azure.net' });
    const body = (await ok.json()) as Record<string, unknown>;
    assert.equal(ok.status, 200);
    assert.equal(body.resource, 'https://vault.azure.net');
    assert.equal(typeof body.expires_on, 'string');
    assert.equal(claimsOf(String(body.access_token)).aud, 'https://vault.azure.net');
    const missing = await post({});
    assert.equal(aadsts((await missing.json()) as Record<string, unknown>), 900144);
  });

  it('a token for Graph is refused by another resource (checkAccessToken audience)', async () => {
    const r = await tokenRequest(emu, t.id, {
      grant_type: 'client_credentials',
      client_id: t.appId,
      client_secret: t.secret,
      scope: GRAPH,
    });
    const header = `Bearer ${String(r.body.access_token)}`;
    assert.equal(checkAccessToken(emu.context, header, 'graph').ok, true);
    const kv = checkAccessToken(emu.context, header, 'keyvault');
    assert.equal(kv.ok, false);
    assert.equal(!kv.ok && kv.reason, 'audience');
  });

  describe('refusals, each by its AADSTS code', () => {
    const form = (extra: Record<string, string>) => ({
      grant_type: 'client_credentials',
      client_id: t.appId,
      scope: GRAPH,
      ...extra,
    });
    const assertionForm = (assertion: string) =>
      form({
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
      });

    it('wrong secret → 401 invalid_client AADSTS7000215', async () => {
      const r = await tokenRequest(emu, t.id, form({ client_secret: 'nope' }));
      assert.equal(r.status, 401);
      assert.equal(r.body.error, 'invalid_client');
      assert.equal(aadsts(r.body), 7000215);
    });

    it('expired secret → AADSTS7000222 (a secret that is still valid works)', async () => {
      const valid = await admin(emu, 'POST', `/tenants/${t.id}/applications/${t.appId}/secrets`, {
        expiresInDays: 1,
      });
      assert.equal(valid.status, 201);
      assert.equal(
        (await tokenRequest(emu, t.id, form({ client_secret: String(valid.body.secretText) }))).status,
        200,
      );
      const expired = await admin(emu, 'POST', `/tenants/${t.id}/applications/${t.appId}/secrets`, {
        expiresInDays: 0,
      });
      const r = await tokenRequest(emu, t.id, form({ client_secret: String(expired.body.secretText) }));
      assert.equal(r.status, 401);
      assert.equal(aadsts(r.body), 7000222);
    });

    it('no credential → AADSTS7000218', async () => {
      const r = await tokenRequest(emu, t.id, form({}));
      assert.equal(aadsts(r.body), 7000218);
    });

    it('assertion signed with another key (forged, same x5t) → AADSTS700027', async () => {
      const other = await testCertificate('forger');
      const forged = clientAssertion({
        key: other.privateKey,
        der: cert.der,
        clientId: t.appId,
        aud: tokenEndpoint,
      });
      const r = await tokenRequest(emu, t.id, assertionForm(forged));
      assert.equal(r.status, 401);
      assert.equal(aadsts(r.body), 700027);
    });

    it('assertion signed by a certificate that was never uploaded → AADSTS700027', async () => {
      const other = await testCertificate('not-uploaded');
      const r = await tokenRequest(
        emu,
        t.id,
        assertionForm(
          clientAssertion({
            key: other.privateKey,
            der: other.der,
            clientId: t.appId,
            aud: tokenEndpoint,
            alg: 'RS256',
          }),
        ),
      );
      assert.equal(aadsts(r.body), 700027);
      assert.match(String(r.body.error_description), /not registered on application/);
    });

    it('expired assertion → AADSTS700024', async () => {
      const old = Math.floor(emu.context.state.clock.now() / 1000) - 3600;
      const r = await tokenRequest(
        emu,
        t.id,
        assertionForm(
          clientAssertion({
            key: cert.privateKey,
            der: cert.der,
            clientId: t.appId,
            aud: tokenEndpoint,
            nowSeconds: old,
          }),
        ),
      );
      assert.equal(aadsts(r.body), 700024);
    });

    it('replayed jti → refused the second time (AADSTS50013)', async () => {
      const jti = randomUUID();
      const a = clientAssertion({
        key: cert.privateKey,
        der: cert.der,
        clientId: t.appId,
        aud: tokenEndpoint,
        jti,
      });
      assert.equal((await tokenRequest(emu, t.id, assertionForm(a))).status, 200);
      const again = await tokenRequest(emu, t.id, assertionForm(a));
      assert.equal(again.status, 401);
      assert.equal(aadsts(again.body), 50013);
    });

    it('assertion for another audience → AADSTS50013; iss ≠ sub → AADSTS50048', async () => {
      const wrongAud = clientAssertion({
        key: cert.privateKey,
        der: cert.der,
        clientId: t.appId,
        aud: `${login}/${randomUUID()}/oauth2/v2.0/token`,
      });
      assert.equal(aadsts((await tokenRequest(emu, t.id, assertionForm(wrongAud))).body), 50013);
      const [h, p, s] = clientAssertion({
        key: cert.privateKey,
        der: cert.der,
        clientId: t.appId,
        aud: tokenEndpoint,
      }).split('.');
      const claims = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
      const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url')}.${s}`;
      assert.equal(aadsts((await tokenRequest(emu, t.id, assertionForm(tampered))).body), 50048);
    });

    it('removing the uploaded certificate stops it from authenticating', async () => {
      const c = await testCertificate('removable');
      const up = await admin(emu, 'POST', `/tenants/${t.id}/applications/${t.appId}/certificates`, {
        der: c.der.toString('base64'),
      });
      assert.equal(up.status, 201);
      const make = () =>
        assertionForm(
          clientAssertion({ key: c.privateKey, der: c.der, clientId: t.appId, aud: tokenEndpoint }),
        );
      assert.equal((await tokenRequest(emu, t.id, make())).status, 200);
      assert.equal(
        (
          await admin(
            emu,
            'DELETE',
            `/tenants/${t.id}/applications/${t.appId}/certificates/${String(up.body.keyId)}`,
          )
        ).status,
        204,
      );
      assert.equal(aadsts((await tokenRequest(emu, t.id, make())).body), 700027);
    });

    it('unknown tenant → AADSTS90002; app not in tenant → AADSTS700016; two resources → AADSTS700022; unknown resource → AADSTS500011', async () => {
      assert.equal(
        aadsts((await tokenRequest(emu, 'no-such.test', form({ client_secret: t.secret }))).body),
        90002,
      );
      const demoTenant = emu.readyLine.demo as { tenantId: string };
      const other = await tokenRequest(emu, demoTenant.tenantId, form({ client_secret: t.secret }));
      assert.equal(other.body.error, 'unauthorized_client');
      assert.equal(aadsts(other.body), 700016);
      const two = await tokenRequest(
        emu,
        t.id,
        form({ client_secret: t.secret, scope: `${GRAPH} https://vault.azure.net/.default` }),
      );
      assert.equal(aadsts(two.body), 700022);
      const unknown = await tokenRequest(
        emu,
        t.id,
        form({ client_secret: t.secret, scope: 'https://unknown.example.com/.default' }),
      );
      assert.equal(unknown.body.error, 'invalid_resource');
      assert.equal(aadsts(unknown.body), 500011);
    });

    it('v2 refuses a resource parameter (AADSTS901002); /common refuses client credentials (AADSTS9001023)', async () => {
      const withResource = await tokenRequest(
        emu,
        t.id,
        form({ client_secret: t.secret, resource: 'https://graph.microsoft.com' }),
      );
      assert.equal(aadsts(withResource.body), 901002);
      assert.equal(
        aadsts((await tokenRequest(emu, 'common', form({ client_secret: t.secret }))).body),
        9001023,
      );
      assert.equal(
        aadsts((await tokenRequest(emu, t.id, form({ client_secret: t.secret, scope: 'User.Read' }))).body),
        1002012,
      );
    });

    it('MSAL surfaces the AADSTS code of a refusal', async () => {
      await assert.rejects(
        msal({ clientSecret: 'wrong' }).acquireTokenByClientCredential({ scopes: [GRAPH] }),
        (e) => aadstsOfError(e) === 7000215,
      );
    });
  });

  it('discovery: v2 issuer on the emulator, tenant id substituted for a domain, {tenantid} for organizations; JWKS has the signing key', async () => {
    const byDomain = (await (
      await fetch(`${login}/${t.domain}/v2.0/.well-known/openid-configuration`)
    ).json()) as Record<string, string>;
    assert.equal(byDomain.issuer, `${login}/${t.id}/v2.0`);
    assert.equal(byDomain.token_endpoint, `${login}/${t.id}/oauth2/v2.0/token`);
    const orgs = (await (
      await fetch(`${login}/organizations/v2.0/.well-known/openid-configuration`)
    ).json()) as Record<string, string>;
    assert.equal(orgs.issuer, `${login}/{tenantid}/v2.0`);
    assert.equal(orgs.authorization_endpoint, `${login}/organizations/oauth2/v2.0/authorize`);
    const keys = (await (await fetch(byDomain.jwks_uri!)).json()) as { keys: { kid: string }[] };
    assert.equal(keys.keys[0]!.kid, emu.context.signingKey.kid);
  });
});
