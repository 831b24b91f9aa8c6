/**
 * No keys anywhere: list*() calls, key or connection-string text, and names that carry a connection string.
 */
import { resourceType, statementExprs, walk, type BicepModule, type Project } from './bicep-model';
import { flattenTokens, tokenize, type Expr } from './bicep-syntax';
import type { Add } from './check-types';

/** Literal text that only a key, SAS or connection string contains. */
const SECRET_PATTERNS: readonly RegExp[] = [
  /AccountKey\s*=/i,
  /SharedAccessKey/i,
  /SharedAccessSignature/i,
  /DefaultEndpointsProtocol\s*=/i,
  /Endpoint\s*=\s*sb:\/\//i,
  /UseDevelopmentStorage/i,
  /InstrumentationKey\s*=/i,
];

export function scanForSecrets(files: ReadonlyMap<string, string>, add: Add): void {
  for (const [file, text] of files) {
    if (file.endsWith('.bicep')) {
      let tokens;
      try {
        tokens = flattenTokens(tokenize(text));
      } catch {
        tokens = undefined;
      }
      if (tokens) {
        tokens.forEach((t, i) => {
          // Any list*() call (listKeys, listConnectionStrings, listAccountSas, list(...)), and the known names even
          // uncalled; a variable that merely starts with "list" is fine.
          const next = tokens.slice(i + 1).find((x) => x.kind !== 'newline');
          const called = next?.kind === 'punct' && next.value === '(';
          const known = /^list(Keys|ConnectionStrings|AccountSas|ServiceSas|Secrets|Credentials?)$/.test(
            t.value,
          );
          if (t.kind === 'ident' && /^list([A-Z]\w*)?$/.test(t.value) && (called || known)) {
            add(
              'INFRA_LIST_KEYS',
              file,
              `${t.value}() hands out keys or secrets; use role assignments instead`,
              t.line,
            );
          }
          if (t.kind === 'string') {
            for (const p of t.parts ?? []) {
              if (typeof p !== 'string') continue;
              const hit = SECRET_PATTERNS.find((re) => re.test(p));
              if (hit)
                add(
                  'INFRA_CONNECTION_STRING',
                  file,
                  `string literal looks like a key or connection string (${hit.source})`,
                  t.line,
                );
            }
          }
        });
        continue;
      }
    }
    // Not Bicep, or not tokenizable: a plain text scan still catches the patterns.
    text.split('\n').forEach((lineText, i) => {
      if (/\blist(Keys|ConnectionStrings|AccountSas|ServiceSas|Secrets)\b/.test(lineText)) {
        add('INFRA_LIST_KEYS', file, 'a list*() call hands out keys or secrets', i + 1);
      }
      const hit = SECRET_PATTERNS.find((re) => re.test(lineText));
      if (hit)
        add(
          'INFRA_CONNECTION_STRING',
          file,
          `text looks like a key or connection string (${hit.source})`,
          i + 1,
        );
    });
  }
}

/**
 * Any identifier, property or member named like a connection string is refused, with one exception: the
 * Application Insights component's own ConnectionString property (an endpoint plus an instrumentation key that,
 * with local auth disabled, authorizes nothing; APPLICATIONINSIGHTS_AUTHENTICATION_STRING makes the host sign in).
 */
export function checkConnectionStringUses(project: Project, add: Add): void {
  const named = (s: string) => /connection_?string/i.test(s) && s !== 'APPLICATIONINSIGHTS_CONNECTION_STRING';
  for (const m of project.modules.values()) {
    for (const s of m.ast.statements) {
      if (s.kind !== 'targetScope' && s.kind !== 'other' && named(s.name)) {
        add('INFRA_CONNECTION_STRING', m.file, `${s.kind} '${s.name}' carries a connection string`, s.line);
      }
      for (const root of statementExprs(s)) {
        for (const e of walk(root)) {
          if (e.kind === 'object') {
            for (const p of e.props) {
              if (named(p.key))
                add(
                  'INFRA_CONNECTION_STRING',
                  m.file,
                  `property '${p.key}' carries a connection string`,
                  p.line,
                );
            }
          }
          if (e.kind === 'member' && named(e.name) && !isAppInsightsConnectionString(m, e)) {
            add('INFRA_CONNECTION_STRING', m.file, `'${e.text}' reads a connection string`, e.line);
          }
        }
      }
    }
  }
}

function isAppInsightsConnectionString(m: BicepModule, e: Extract<Expr, { kind: 'member' }>): boolean {
  if (e.name !== 'ConnectionString') return false;
  const props = e.object;
  if (props.kind !== 'member' || props.name !== 'properties' || props.object.kind !== 'ident') return false;
  const r = m.resources.get(props.object.name);
  return r !== undefined && resourceType(r) === 'Microsoft.Insights/components';
}
