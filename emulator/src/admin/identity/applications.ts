// App registrations, their certificates and client secrets (Entra portal: App registrations, Certificates & secrets).
import { randomBytes, randomUUID } from 'node:crypto';
import type { EmulatorContext } from '../../context';
import type { Router } from '../../http/router';
import { ensureServicePrincipal } from '../../identity/consent';
import type { Application } from '../../state/model';
import { keyCredentialFromCertificate } from '../../state/seed';
import { notFound } from '../routes';
import { body, permissions, publicApp, requiredAccess, scoped, stringList } from './common';

export function registerApplicationRoutes(router: Router, ctx: EmulatorContext): void {
  const { state } = ctx;
  const { withTenant, withApp } = scoped(ctx);
  // App registrations.
  router.add(
    'POST',
    '/_emulator/tenants/{tenant}/applications',
    withTenant((req, tenant) => {
      const b = body(req);
      if (typeof b.displayName !== 'string' || !b.displayName) throw new TypeError('displayName is required');
      const appId = typeof b.appId === 'string' ? b.appId : randomUUID();
      if (state.application(appId))
        return { status: 409, body: { error: 'conflict', message: `application ${appId} already exists` } };
      const required = (b.requiredPermissions ?? {}) as { application?: unknown; delegated?: unknown };
      const app: Application = {
        id: randomUUID(),
        appId,
        displayName: b.displayName,
        signInAudience: b.multiTenant === true ? 'AzureADMultipleOrgs' : 'AzureADMyOrg',
        redirectUris: stringList(b.redirectUris, 'redirectUris'),
        keyCredentials: [],
        passwordCredentials: [],
        requiredResourceAccess: requiredAccess(
          permissions(required.application, 'requiredPermissions.application'),
          permissions(required.delegated, 'requiredPermissions.delegated'),
        ),
      };
      tenant.applications.set(appId, app);
      // The portal creates the app's service principal in its home tenant with the registration.
      const sp = ensureServicePrincipal(tenant, app, tenant);
      return { status: 201, body: { ...publicApp(app), servicePrincipalId: sp.id } };
    }),
  );
  router.add(
    'GET',
    '/_emulator/tenants/{tenant}/applications/{appId}',
    withApp((_req, _t, app) => ({ status: 200, body: publicApp(app) })),
  );
  router.add(
    'PATCH',
    '/_emulator/tenants/{tenant}/applications/{appId}',
    withApp((req, _t, app) => {
      const b = body(req);
      if (b.displayName !== undefined) app.displayName = String(b.displayName);
      if (b.multiTenant !== undefined)
        app.signInAudience = b.multiTenant === true ? 'AzureADMultipleOrgs' : 'AzureADMyOrg';
      if (b.redirectUris !== undefined) app.redirectUris = stringList(b.redirectUris, 'redirectUris');
      if (b.requiredPermissions !== undefined) {
        const required = b.requiredPermissions as { application?: unknown; delegated?: unknown };
        app.requiredResourceAccess = requiredAccess(
          permissions(required.application, 'requiredPermissions.application'),
          permissions(required.delegated, 'requiredPermissions.delegated'),
        );
      }
      return { status: 200, body: publicApp(app) };
    }),
  );

  // Certificates and secrets.
  router.add(
    'POST',
    '/_emulator/tenants/{tenant}/applications/{appId}/certificates',
    withApp((req, _t, app) => {
      const b = body(req);
      const cert = typeof b.pem === 'string' ? b.pem : typeof b.der === 'string' ? b.der : undefined;
      if (!cert) throw new TypeError('give the certificate as "pem" (PEM text) or "der" (base64 DER)');
      const credential = keyCredentialFromCertificate(
        cert,
        typeof b.displayName === 'string' ? b.displayName : undefined,
      );
      if (app.keyCredentials.some((k) => k.x5tS256 === credential.x5tS256))
        return { status: 409, body: { error: 'conflict', message: 'this certificate is already uploaded' } };
      app.keyCredentials.push(credential);
      const { certificateDer: _der, ...shown } = credential;
      return { status: 201, body: shown };
    }),
  );
  router.add(
    'DELETE',
    '/_emulator/tenants/{tenant}/applications/{appId}/certificates/{keyId}',
    withApp((req, _t, app) => {
      const i = app.keyCredentials.findIndex((k) => k.keyId === req.params.keyId);
      if (i < 0) return notFound(`certificate ${req.params.keyId}`);
      app.keyCredentials.splice(i, 1);
      return { status: 204 };
    }),
  );
  router.add(
    'POST',
    '/_emulator/tenants/{tenant}/applications/{appId}/secrets',
    withApp((req, _t, app) => {
      const b = body(req);
      const now = state.clock.now();
      const days = typeof b.expiresInDays === 'number' ? b.expiresInDays : 180;
      const secret = typeof b.value === 'string' && b.value ? b.value : randomBytes(30).toString('base64url');
      const credential = {
        keyId: randomUUID(),
        secret,
        displayName: typeof b.displayName === 'string' ? b.displayName : undefined,
        startDateTime: now,
        endDateTime: now + days * 86_400_000,
      };
      app.passwordCredentials.push(credential);
      // Like the portal, the secret text is shown once, at creation.
      return {
        status: 201,
        body: {
          keyId: credential.keyId,
          secretText: secret,
          displayName: credential.displayName,
          startDateTime: new Date(now).toISOString(),
          endDateTime: new Date(credential.endDateTime).toISOString(),
        },
      };
    }),
  );
  router.add(
    'DELETE',
    '/_emulator/tenants/{tenant}/applications/{appId}/secrets/{keyId}',
    withApp((req, _t, app) => {
      const i = app.passwordCredentials.findIndex((k) => k.keyId === req.params.keyId);
      if (i < 0) return notFound(`secret ${req.params.keyId}`);
      app.passwordCredentials.splice(i, 1);
      return { status: 204 };
    }),
  );
}
