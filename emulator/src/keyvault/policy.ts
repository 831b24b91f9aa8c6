// Certificate policies as Key Vault stores them: the request's policy (snake_case wire shape) validated and
// completed with Key Vault's defaults (RSA 2048 exportable, PKCS#12, 12 months, server+client auth EKUs,
// digitalSignature+keyEncipherment, AutoRenew at 80% of the lifetime for self-signed certificates).
import { badParameter } from './errors';
import { KEY_USAGE_NAMES } from './issue';
import type { CertificatePolicy } from './model';

export const PKCS12 = 'application/x-pkcs12';
export const PEM = 'application/x-pem-file';
const DEFAULT_EKUS = ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'];

type Wire = Record<string, unknown>;

function obj(v: unknown, field: string): Wire {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw badParameter(`${field} must be an object.`);
  return v as Wire;
}

function strings(v: unknown, field: string): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string'))
    throw badParameter(`${field} must be an array of strings.`);
  return v as string[];
}

/** Builds a stored policy from a request policy, on top of `base` (the current policy) when updating. */
export function policyIn(input: unknown, now: number, base?: CertificatePolicy): CertificatePolicy {
  const p = obj(input, 'policy');
  const key = { ...base?.key_props, ...obj(p.key_props, 'key_props') } as Wire;
  const secret = { ...base?.secret_props, ...obj(p.secret_props, 'secret_props') } as Wire;
  const x509p = { ...base?.x509_props, ...obj(p.x509_props, 'x509_props') } as Wire;
  const issuer = { ...base?.issuer, ...obj(p.issuer, 'issuer') } as Wire;
  const attrs = obj(p.attributes, 'attributes');

  const kty = (key.kty as string | undefined) ?? 'RSA';
  if (kty !== 'RSA' && kty !== 'RSA-HSM')
    throw badParameter(`The emulator issues RSA certificates only (kty RSA or RSA-HSM); got ${kty}.`);
  const keySize = (key.key_size as number | undefined) ?? 2048;
  if (![2048, 3072, 4096].includes(keySize))
    throw badParameter(`Invalid key size ${String(keySize)}: RSA keys are 2048, 3072 or 4096 bits.`);
  const contentType = (secret.contentType as string | undefined) ?? PKCS12;
  if (contentType !== PKCS12 && contentType !== PEM)
    throw badParameter(`Invalid secret content type ${contentType}: use ${PKCS12} or ${PEM}.`);

  const subject = (x509p.subject as string | undefined) ?? '';
  if (typeof subject !== 'string' || (subject !== '' && !/^\s*[A-Za-z.0-9]+=/.test(subject)))
    throw badParameter('x509_props.subject must be an X.500 name such as "CN=example".');
  const validity = (x509p.validity_months as number | undefined) ?? 12;
  if (!Number.isInteger(validity) || validity < 1 || validity > 1200)
    throw badParameter('x509_props.validity_months must be a positive whole number of months.');
  const sansIn = obj(x509p.sans, 'x509_props.sans');
  const sans = {
    emails: strings(sansIn.emails, 'sans.emails'),
    dns_names: strings(sansIn.dns_names, 'sans.dns_names'),
    upns: strings(sansIn.upns, 'sans.upns'),
    uris: strings(sansIn.uris, 'sans.uris'),
    ipAddresses: strings(sansIn.ipAddresses, 'sans.ipAddresses'),
  };
  if (subject === '' && !Object.values(sans).some((v) => v && v.length > 0))
    throw badParameter('A certificate policy needs a subject or at least one subject alternative name.');
  const keyUsage = strings(x509p.key_usage, 'x509_props.key_usage') ?? [
    'digitalSignature',
    'keyEncipherment',
  ];
  for (const u of keyUsage) if (!KEY_USAGE_NAMES.includes(u)) throw badParameter(`Unknown key usage ${u}.`);

  const issuerName = (issuer.name as string | undefined) ?? 'Unknown';
  const lifetime = p.lifetime_actions ?? base?.lifetime_actions ?? defaultLifetimeActions(issuerName);
  if (!Array.isArray(lifetime)) throw badParameter('lifetime_actions must be an array.');
  const lifetimeActions = lifetime.map((a: unknown, i) => {
    const action = obj(a, `lifetime_actions[${i}]`);
    const trigger = obj(action.trigger, `lifetime_actions[${i}].trigger`);
    const type = obj(action.action, `lifetime_actions[${i}].action`).action_type;
    if (type !== 'AutoRenew' && type !== 'EmailContacts')
      throw badParameter(`lifetime_actions[${i}].action.action_type must be AutoRenew or EmailContacts.`);
    const pct = trigger.lifetime_percentage as number | undefined;
    const days = trigger.days_before_expiry as number | undefined;
    if ((pct === undefined) === (days === undefined))
      throw badParameter(
        `lifetime_actions[${i}].trigger needs exactly one of lifetime_percentage, days_before_expiry.`,
      );
    if (pct !== undefined && (!Number.isInteger(pct) || pct < 1 || pct > 99))
      throw badParameter('lifetime_percentage must be between 1 and 99.');
    if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > validity * 27))
      throw badParameter('days_before_expiry must be between 1 and validity_months × 27.');
    return {
      trigger: pct !== undefined ? { lifetime_percentage: pct } : { days_before_expiry: days },
      action: { action_type: type },
    };
  });

  const out: CertificatePolicy = {
    key_props: {
      exportable: (key.exportable as boolean | undefined) ?? true,
      kty,
      key_size: keySize,
      reuse_key: (key.reuse_key as boolean | undefined) ?? false,
    },
    secret_props: { contentType },
    x509_props: {
      subject,
      ekus: strings(x509p.ekus, 'x509_props.ekus') ?? DEFAULT_EKUS,
      key_usage: keyUsage,
      validity_months: validity,
      basic_constraints: { ca: false },
    },
    lifetime_actions: lifetimeActions,
    issuer: { name: issuerName },
    attributes: {
      enabled: (attrs.enabled as boolean | undefined) ?? base?.attributes.enabled ?? true,
      created: base?.attributes.created ?? now,
      updated: now,
    },
  };
  if (Object.values(sans).some((v) => v && v.length > 0))
    out.x509_props.sans = Object.fromEntries(Object.entries(sans).filter(([, v]) => v && v.length > 0));
  if (typeof issuer.cty === 'string') out.issuer.cty = issuer.cty;
  if (typeof issuer.cert_transparency === 'boolean') out.issuer.cert_transparency = issuer.cert_transparency;
  return out;
}

function defaultLifetimeActions(issuer: string): CertificatePolicy['lifetime_actions'] {
  return [
    {
      trigger: { lifetime_percentage: 80 },
      action: { action_type: issuer === 'Self' ? 'AutoRenew' : 'EmailContacts' },
    },
  ];
}

export function policyOut(base: string, name: string, p: CertificatePolicy): Record<string, unknown> {
  return {
    id: `${base}/certificates/${name}/policy`,
    key_props: p.key_props,
    secret_props: p.secret_props,
    x509_props: p.x509_props,
    lifetime_actions: p.lifetime_actions,
    issuer: p.issuer,
    attributes: {
      enabled: p.attributes.enabled,
      created: Math.floor(p.attributes.created / 1000),
      updated: Math.floor(p.attributes.updated / 1000),
    },
  };
}

/** When an AutoRenew action fires for a version valid from notBefore to expires; undefined when none. */
export function renewalTime(p: CertificatePolicy, notBefore: number, expires: number): number | undefined {
  const times = p.lifetime_actions
    .filter((a) => a.action.action_type === 'AutoRenew')
    .map((a) =>
      a.trigger.lifetime_percentage !== undefined
        ? notBefore + ((expires - notBefore) * a.trigger.lifetime_percentage) / 100
        : expires - a.trigger.days_before_expiry! * 86_400_000,
    );
  return times.length > 0 ? Math.min(...times) : undefined;
}
