// For tests that start a private stack (scenario and crash tests): DefaultAzureCredential reads the process
// environment, which names the harness's identity endpoint, not the private stack's; so these authenticate to their
// Azurite (which checks the token's claims, not its signature) with an unsigned storage token. The clients and the
// HTTPS path are production's; test/storage uses the production credential against the harness stack.
import type { AccessToken, TokenCredential } from '@azure/core-auth';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

export const azuriteCredential: TokenCredential = {
  async getToken(): Promise<AccessToken> {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      aud: 'https://storage.azure.com',
      iss: 'https://sts.windows.net/00000000-0000-0000-0000-000000000000/',
      iat: now - 60,
      nbf: now - 60,
      exp: now + 3600,
      oid: '00000000-0000-0000-0000-000000000001',
    };
    return {
      token: `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`,
      expiresOnTimestamp: (now + 3600) * 1000,
    };
  },
};
