// The national-cloud table against the documented endpoints (graph-spec.md §5).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  cloudEndpoints,
  exchangeInvokeCommandUrl,
  oauthEndpoints,
  parseCloud,
  scopeOf,
  UnknownCloudError,
} from '../../shared/clouds/endpoints';

const TENANT = '7c1d5f0e-3c4b-4b8e-9a51-2f1e6d3c9b10';

test('global', () => {
  const e = cloudEndpoints('global');
  assert.equal(
    oauthEndpoints(e, TENANT).token,
    `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`,
  );
  assert.equal(scopeOf(e.graphResource), 'https://graph.microsoft.com/.default');
  assert.equal(
    exchangeInvokeCommandUrl(e, TENANT),
    `https://outlook.office365.com/adminapi/beta/${TENANT}/InvokeCommand`,
  );
  assert.equal(scopeOf(e.exchangeResource), 'https://outlook.office365.com/.default');
  assert.equal(e.graphCustomHost, undefined);
});

test('US Gov L4 (GCC High)', () => {
  const e = cloudEndpoints('usgov');
  assert.equal(
    oauthEndpoints(e, TENANT).authorize,
    `https://login.microsoftonline.us/${TENANT}/oauth2/v2.0/authorize`,
  );
  assert.equal(e.graphUrl, 'https://graph.microsoft.us');
  assert.equal(scopeOf(e.graphResource), 'https://graph.microsoft.us/.default');
  assert.equal(
    exchangeInvokeCommandUrl(e, TENANT),
    `https://outlook.office365.us/adminapi/beta/${TENANT}/InvokeCommand`,
  );
  assert.equal(e.portalUrl, 'https://portal.azure.us');
});

test('US Gov L5 (DoD)', () => {
  const e = cloudEndpoints('usgovdod');
  assert.equal(e.authorityHost, 'https://login.microsoftonline.us');
  assert.equal(scopeOf(e.graphResource), 'https://dod-graph.microsoft.us/.default');
  assert.equal(
    exchangeInvokeCommandUrl(e, TENANT),
    `https://webmail.apps.mil/adminapi/beta/${TENANT}/InvokeCommand`,
  );
  assert.equal(scopeOf(e.exchangeResource), 'https://outlook-dod.office365.us/.default');
});

test('China (21Vianet)', () => {
  const e = cloudEndpoints('china');
  assert.equal(
    oauthEndpoints(e, TENANT).adminConsent,
    `https://login.chinacloudapi.cn/${TENANT}/v2.0/adminconsent`,
  );
  assert.equal(scopeOf(e.graphResource), 'https://microsoftgraph.chinacloudapi.cn/.default');
  assert.equal(
    exchangeInvokeCommandUrl(e, TENANT),
    `https://partner.outlook.cn/adminapi/beta/${TENANT}/InvokeCommand`,
  );
  assert.equal(scopeOf(e.exchangeResource), 'https://partner.outlook.cn/.default');
});

test('the local override moves hosts but keeps each cloud’s token resources', () => {
  const env = {
    TENURE_CLOUD_ENDPOINTS: JSON.stringify({
      login: 'https://127.0.0.1:9001/',
      graph: 'https://127.0.0.1:9002',
      exchange: 'https://127.0.0.1:9003',
    }),
  };
  const e = cloudEndpoints('usgov', env);
  assert.equal(e.authorityHost, 'https://127.0.0.1:9001');
  assert.equal(e.graphUrl, 'https://127.0.0.1:9002');
  assert.equal(e.graphCustomHost, '127.0.0.1');
  assert.equal(e.graphResource, 'https://graph.microsoft.us');
  assert.equal(
    exchangeInvokeCommandUrl(e, 'contoso.test'),
    'https://127.0.0.1:9003/adminapi/beta/contoso.test/InvokeCommand',
  );
});

test('unknown clouds are refused by name', () => {
  assert.throws(
    () => parseCloud('germany'),
    (e: unknown) => e instanceof UnknownCloudError && e.code === 'TENURE_UNKNOWN_CLOUD',
  );
  assert.equal(parseCloud('china'), 'china');
});
