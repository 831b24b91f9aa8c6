// The admin page: connections with status and diagnostics, and the product page's actions (create, download the
// certificate, link / Link Account). Plain HTML forms: no script, works in any browser.
import type { Connection } from '../connections/model';
import { html, page, type Html } from './html';

const STATUS_CLASS: Record<Connection['status'], string> = {
  linked: 'ok',
  'awaiting-certificate-upload': 'warn',
  'awaiting-consent': 'warn',
  incomplete: 'warn',
  'certificate-renewal-required': 'warn',
  'relink-required': 'bad',
};

/** What the admin does next, per status (docs/connections.md says the same at length). */
const STATUS_HINT: Record<Connection['status'], string> = {
  linked: '',
  'awaiting-certificate-upload':
    'Download the certificate, upload it to the app registration (Certificates & secrets), then Link.',
  'awaiting-consent': 'Use Link Account and sign in as a Global Administrator of the tenant.',
  incomplete: 'Fix the items below in the portal, then Link again.',
  'relink-required': 'The sign-in Tenure relied on is no longer valid: use Link Account again.',
  'certificate-renewal-required':
    'Download the renewed certificate, upload it next to the current one before it expires, then Link.',
};

/** `key` is the function key the admin opened the page with; every link and form carries it. */
export function renderAdminPage(connections: Connection[], key: string, notice?: string): string {
  const q = (path: string, extra = ''): string => `${path}?code=${encodeURIComponent(key)}${extra}`;
  const rows: Html[] = connections.map((c) => {
    const actions: Html[] = [];
    if (c.kind === 'customer-app') {
      actions.push(
        html`<a href="${q(`/api/connections/${c.id}/certificate`, '&format=cer')}"
            >Download certificate (.cer)</a
          >
          · <a href="${q(`/api/connections/${c.id}/certificate`, '&format=pem')}">PEM</a>`,
      );
      actions.push(
        html`<form class="inline" method="post" action="${q(`/api/admin/connections/${c.id}/link`)}">
          <button type="submit">Link</button>
        </form>`,
      );
    } else {
      actions.push(html`<a class="button" href="${q(`/api/connections/${c.id}/link`)}">Link Account</a>`);
      actions.push(
        html`<a href="${q(`/api/connections/${c.id}/link`, '&adminConsent=true')}">Admin consent</a>`,
      );
    }
    const missing = c.diagnostics.missing.length
      ? html`<ul class="missing">
          ${c.diagnostics.missing.map((m) => html`<li><strong>${m.name}</strong><br />${m.fix}</li>`)}
        </ul>`
      : html``;
    const lastError = c.diagnostics.lastError
      ? html`<div class="bad">${c.diagnostics.lastError.code}: ${c.diagnostics.lastError.description}</div>`
      : html``;
    return html`<tr data-connection="${c.id}">
      <td><strong>${c.displayName}</strong><br /><code>${c.id}</code></td>
      <td>${c.kind === 'customer-app' ? 'Customer-owned app' : 'Service-provider app'}<br />${c.cloud}</td>
      <td>
        ${c.tenantId}<br /><small>client ${c.clientId}</small
        >${c.addOns.length ? html`<br /><small>add-ons: ${c.addOns.join(', ')}</small>` : html``}
      </td>
      <td>
        <span class="status ${STATUS_CLASS[c.status]}">${c.status}</span
        >${STATUS_HINT[c.status] ? html`<br /><small class="hint">${STATUS_HINT[c.status]}</small>` : html``}${c.consentedBy ? html`<br /><small>consented by ${c.consentedBy}</small>` : html``}${c.certificateExpiresOn ? html`<br /><small>certificate until ${c.certificateExpiresOn.slice(0, 10)}</small>` : html``}${missing}${lastError}
      </td>
      <td>${actions.map((a) => html`<div>${a}</div>`)}</td>
    </tr>`;
  });
  const body = html`${notice ? html`<p class="status" role="status">${notice}</p>` : html``}
    <table>
      <thead>
        <tr>
          <th>Connection</th>
          <th>Kind</th>
          <th>Tenant</th>
          <th>Status</th>
          <th>Actions</th>
        </tr>
      </thead>
      <tbody>
        ${
          rows.length
            ? rows
            : html`<tr>
                <td colspan="5">No connections yet.</td>
              </tr>`
        }
      </tbody>
    </table>
    <form method="post" action="${q('/api/admin/connections')}">
      <fieldset>
        <legend>Create a connection</legend>
        <label
          >Kind
          <select name="kind">
            <option value="customer-app">Customer-owned app (certificate)</option>
            <option value="service-provider">Service-provider app (Link Account)</option>
          </select></label
        >
        <label
          >Cloud
          <select name="cloud">
            <option value="global">Global</option>
            <option value="usgov">US Gov L4 (GCC High)</option>
            <option value="usgovdod">US Gov L5 (DoD)</option>
            <option value="china">China (21Vianet)</option>
          </select></label
        >
        <label>Tenant id <input name="tenantId" required size="40" /></label>
        <label>Client id (customer-owned app) <input name="clientId" size="40" /></label>
        <label>Display name <input name="displayName" size="40" /></label>
        <label
          >Id (optional; the name flows use, e.g. <code>contoso</code>)
          <input name="id" size="20" pattern="[a-z][a-z0-9-]{2,39}"
        /></label>
        <label><input type="checkbox" name="addOns" value="exchange" /> Exchange Online</label>
        <label><input type="checkbox" name="addOns" value="sharepoint" /> SharePoint / OneDrive</label>
        <button type="submit">Create</button>
      </fieldset>
    </form>`;
  return page('Tenure connections', body);
}
