// Key Vault list paging: at most 25 items a page (maxresults 1-25), the rest behind an absolute nextLink carrying
// api-version, $skiptoken and maxresults; nextLink is null on the last page.
import type { EmulatorRequest } from '../http/router';
import { badParameter } from './errors';

export interface Page<T> {
  value: T[];
  nextLink: string | null;
}

export function page<T>(items: T[], req: EmulatorRequest, base: string, apiVersion: string): Page<T> {
  const raw = req.query.get('maxresults');
  const max = raw === null || raw === '' ? 25 : Number(raw);
  if (!Number.isInteger(max) || max < 1 || max > 25)
    throw badParameter('invalid maxresults value: maxresults must be an integer between 1 and 25.');
  const token = req.query.get('$skiptoken');
  let offset = 0;
  if (token) {
    try {
      offset = (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { offset: number }).offset;
    } catch {
      throw badParameter('The $skiptoken is invalid.');
    }
    if (!Number.isInteger(offset) || offset < 0) throw badParameter('The $skiptoken is invalid.');
  }
  const value = items.slice(offset, offset + max);
  if (offset + max >= items.length) return { value, nextLink: null };
  // Key Vault writes $skiptoken literally (not %24skiptoken).
  const extra = [...req.query]
    .filter(([k]) => !['api-version', '$skiptoken', 'maxresults'].includes(k))
    .map(([k, v]) => `&${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('');
  const skip = Buffer.from(JSON.stringify({ offset: offset + max })).toString('base64url');
  const next = `${base}${req.path}?api-version=${encodeURIComponent(apiVersion)}&$skiptoken=${skip}&maxresults=${max}${extra}`;
  return { value, nextLink: next };
}
