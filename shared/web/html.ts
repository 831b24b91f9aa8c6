// Server-rendered pages: one escaping function and one layout, so no value reaches HTML unescaped.
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** A tagged template that escapes every interpolated value unless it is already `Html`. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    const rendered = Array.isArray(v)
      ? v.map((x) => (x instanceof Html ? x.value : escapeHtml(x))).join('')
      : v instanceof Html
        ? v.value
        : escapeHtml(v);
    out += rendered + strings[i + 1]!;
  });
  return new Html(out);
}

export function page(title: string, body: Html): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${escapeHtml(title)} · Tenure</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.5rem}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}
.status{font-weight:600}.ok{color:#0a6b2d}.warn{color:#8a5300}.bad{color:#a4262c}
form.inline{display:inline}fieldset{margin:1rem 0}label{display:block;margin:.3rem 0}
code{background:#f3f3f3;padding:0 .2rem}.missing li{margin:.3rem 0}
a.button{display:inline-block;padding:.15rem .6rem;border:1px solid #0067b8;border-radius:3px;text-decoration:none;white-space:nowrap}.hint{color:#555}
</style></head><body>
<h1>${escapeHtml(title)}</h1>
${body.value}
</body></html>`;
}

/** Security headers for every page: no framing, no scripts, no inline anything but the page's own style. */
export const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'referrer-policy': 'no-referrer',
};
