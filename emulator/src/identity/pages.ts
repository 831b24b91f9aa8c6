// Server-rendered pages of the sign-in service: sign-in, consent, "Need admin approval", error and form_post.
// Element ids follow Entra's own page (i0116 user name, i0118 password, idSIButton9 submit, idBtn_Accept / idBtn_Back)
// so browser automation written against Entra runs here too.
import type { EmulatorResponse } from '../http/router';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(
  title: string,
  body: string,
  headers: Record<string, string | string[]> = {},
): EmulatorResponse {
  const html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:"Segoe UI",Arial,sans-serif;background:#f2f2f2;margin:0}
.box{background:#fff;max-width:440px;margin:8vh auto;padding:44px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
h1{font-size:24px;font-weight:600;margin:0 0 16px}
.banner{font-size:13px;color:#666;margin-bottom:20px}
input[type=text],input[type=email],input[type=password]{width:100%;box-sizing:border-box;padding:6px 0;margin:8px 0 16px;border:0;border-bottom:1px solid #666;font-size:15px}
button{padding:8px 24px;font-size:15px;border:0;margin-top:16px;cursor:pointer}
.primary{background:#0067b8;color:#fff}.secondary{background:#ccc;color:#000}
.error{color:#e81123;margin:8px 0}
ul{padding-left:20px}li{margin:4px 0}code{font-size:12px;color:#444}
</style></head><body><div class="box"><div class="banner">Tenure emulator — Microsoft Entra sign-in (local, not Microsoft)</div>
${body}
</div></body></html>`;
  return {
    status: 200,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store, no-cache',
      'X-Frame-Options': 'DENY',
      ...headers,
    },
    body: html,
  };
}

export function signInPage(input: {
  action: string;
  interaction: string;
  appName: string;
  loginHint?: string;
  error?: string;
}): EmulatorResponse {
  return page(
    'Sign in to your account',
    `<h1>Sign in</h1>
<p>to continue to <b>${escapeHtml(input.appName)}</b></p>
${input.error ? `<div class="error" id="usernameError" role="alert">${escapeHtml(input.error)}</div>` : ''}
<form method="post" action="${escapeHtml(input.action)}" id="signin">
<input type="hidden" name="ctx" value="${escapeHtml(input.interaction)}">
<label for="i0116">Email, phone, or Skype</label>
<input type="email" name="loginfmt" id="i0116" autocomplete="username" value="${escapeHtml(input.loginHint ?? '')}" required>
<label for="i0118">Password</label>
<input type="password" name="passwd" id="i0118" autocomplete="current-password" required>
<button type="submit" class="primary" id="idSIButton9">Sign in</button>
</form>`,
  );
}

export interface PermissionLine {
  resource: string;
  permission: string;
  kind: 'delegated' | 'application';
  adminOnly: boolean;
}

export function consentPage(input: {
  action: string;
  interaction: string;
  appName: string;
  publisherTenant: string;
  user: string;
  permissions: PermissionLine[];
  /** An admin may consent for the whole organisation (required for admin-consent endpoints). */
  orgOption: 'none' | 'optional' | 'always';
}): EmulatorResponse {
  const lines = input.permissions
    .map(
      (p) =>
        `<li data-permission="${escapeHtml(p.permission)}"><b>${escapeHtml(p.permission)}</b> <code>${escapeHtml(p.resource)}</code> (${p.kind}${p.adminOnly ? ', admin consent required' : ''})</li>`,
    )
    .join('\n');
  const org =
    input.orgOption === 'optional'
      ? `<p><label><input type="checkbox" name="consent_org" id="idChkBx_PdAdminConsent" value="true"> Consent on behalf of your organization</label></p>`
      : input.orgOption === 'always'
        ? `<input type="hidden" name="consent_org" value="true"><p>Accepting grants these permissions for all users in your organization.</p>`
        : '';
  return page(
    'Permissions requested',
    `<h1>Permissions requested</h1>
<p><b>${escapeHtml(input.appName)}</b> (publisher tenant <code>${escapeHtml(input.publisherTenant)}</code>) would like to:</p>
<ul id="permissions">${lines}</ul>
<p>Signed in as <b>${escapeHtml(input.user)}</b></p>
<form method="post" action="${escapeHtml(input.action)}">
<input type="hidden" name="ctx" value="${escapeHtml(input.interaction)}">
${org}
<button type="submit" name="decision" value="cancel" class="secondary" id="idBtn_Back">Cancel</button>
<button type="submit" name="decision" value="accept" class="primary" id="idBtn_Accept">Accept</button>
</form>`,
  );
}

export function adminApprovalPage(input: {
  action: string;
  interaction: string;
  appName: string;
  user: string;
  permissions: PermissionLine[];
}): EmulatorResponse {
  const lines = input.permissions
    .filter((p) => p.adminOnly)
    .map((p) => `<li>${escapeHtml(p.permission)} <code>${escapeHtml(p.resource)}</code></li>`)
    .join('');
  return page(
    'Need admin approval',
    `<h1 id="adminApprovalTitle">Need admin approval</h1>
<p><b>${escapeHtml(input.appName)}</b> needs permission to access resources in your organization that only an admin can grant.
Please ask an admin to grant permission to this app before you can use it.</p>
<ul>${lines}</ul>
<p>Signed in as <b>${escapeHtml(input.user)}</b></p>
<form method="post" action="${escapeHtml(input.action)}">
<input type="hidden" name="ctx" value="${escapeHtml(input.interaction)}">
<button type="submit" name="decision" value="cancel" class="secondary" id="idBtn_Back">Return to the application without granting consent</button>
</form>`,
  );
}

/** An error the browser must not be redirected with (bad client or redirect URI): Entra's error page. */
export function errorPage(
  code: number,
  message: string,
  correlationId: string,
  timestamp: string,
): EmulatorResponse {
  const r = page(
    'Sign in error',
    `<h1>Sorry, but we're having trouble signing you in.</h1>
<p class="error" id="errorCode">AADSTS${code}: ${escapeHtml(message)}</p>
<p><small>Correlation ID: ${escapeHtml(correlationId)}<br>Timestamp: ${escapeHtml(timestamp)}</small></p>`,
  );
  return { ...r, status: 400 };
}

/** response_mode=form_post: an auto-submitting form to the redirect URI. */
export function formPostPage(
  redirectUri: string,
  fields: Record<string, string>,
  headers = {},
): EmulatorResponse {
  const inputs = Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('');
  return page(
    'Working...',
    `<form method="POST" name="hiddenform" action="${escapeHtml(redirectUri)}">${inputs}
<noscript><p>Script is disabled. Click Submit to continue.</p><button type="submit">Submit</button></noscript></form>
<script>document.forms[0].submit();</script>`,
    headers,
  );
}

export function signedOutPage(headers: Record<string, string | string[]>): EmulatorResponse {
  return page(
    'Signed out',
    "<h1>You signed out of your account</h1><p>It's a good idea to close all browser windows.</p>",
    headers,
  );
}
