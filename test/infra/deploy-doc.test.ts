/**
 * docs/deploy.md is what an admin follows: it must name every azd variable the parameters file reads, the
 * redirect URIs, permissions and roles each kind of connection needs, and every national cloud.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { CONTRACT, ROLES, repoRoot } from './infra-contract';

const root = repoRoot();
const doc = fs.readFileSync(path.join(root, 'docs', 'deploy.md'), 'utf8');

function mentions(text: string): void {
  assert.ok(doc.includes(text), `docs/deploy.md does not mention ${text}`);
}

describe('docs/deploy.md', () => {
  it('documents every azd variable main.parameters.json reads, except those azd sets itself', () => {
    const params = fs.readFileSync(path.join(root, 'infra', 'main.parameters.json'), 'utf8');
    const vars = [...params.matchAll(/\$\{([A-Z_]+)(=[^}]*)?\}/g)].map((m) => m[1]);
    assert.ok(vars.length > 5);
    for (const v of vars) if (!['AZURE_ENV_NAME', 'AZURE_PRINCIPAL_ID'].includes(v)) mentions(v);
  });

  it('gives the service-provider app its redirect URIs, delegated permissions and certificate', () => {
    for (const p of CONTRACT.anonymousPaths) mentions(p);
    for (const scope of [
      'User.ReadWrite.All',
      'Group.ReadWrite.All',
      'Directory.AccessAsUser.All',
      'offline_access',
    ]) {
      mentions(scope);
    }
    mentions('TENURE_SP_CERTIFICATE_NAME');
    mentions('TENURE_SP_CLIENT_ID');
  });

  it('gives the customer-owned app its permissions, roles and link steps', () => {
    for (const p of [
      'Directory.ReadWrite.All',
      'User.EnableDisableAccount.All',
      'Exchange.ManageAsApp',
      'Sites.ReadWrite.All',
      'Files.ReadWrite.All',
      'User Administrator',
      'Exchange Administrator',
      '/api/connections/{id}/certificate',
      '/api/connections/{id}/link',
    ]) {
      mentions(p);
    }
  });

  it('covers every national cloud and every role the template grants', () => {
    for (const c of CONTRACT.clouds) mentions(`\`${c}\``);
    for (const c of ['AzureUSGovernment', 'AzureChinaCloud']) mentions(c);
    for (const r of Object.values(ROLES)) mentions(r.role);
  });
});
