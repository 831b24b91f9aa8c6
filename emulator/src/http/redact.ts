// What the request log may keep of a query string: credentials a client puts in a URL (the automation password,
// client secrets and assertions, codes and tokens) are replaced, so a log dump or a test failure never shows them.
// Done once here for every service, whatever the route or its answer (unknown routes and errors included).
const SECRET_PARAMS = new Set([
  'emulator_password',
  'password',
  'client_secret',
  'client_assertion',
  'assertion',
  'code',
  'code_verifier',
  'refresh_token',
  'access_token',
  'id_token',
  'sig',
]);

export const REDACTED = 'REDACTED';

/** The query string (with its leading `?`, or empty) with every credential parameter's value replaced. */
export function redactedSearch(url: URL): string {
  if (![...url.searchParams.keys()].some((k) => SECRET_PARAMS.has(k.toLowerCase()))) return url.search;
  const copy = new URLSearchParams(url.searchParams);
  for (const key of new Set(copy.keys())) if (SECRET_PARAMS.has(key.toLowerCase())) copy.set(key, REDACTED);
  return `?${copy.toString()}`;
}
