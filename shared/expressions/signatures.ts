/**
 * Name and argument count of every function the expression language knows. The compiler checks calls against
 * this table at load time; implementations live in `functions/`. `extension: true` marks Tenure additions
 * that Microsoft's language does not have.
 */
export interface FunctionSignature {
  readonly name: string;
  readonly minArgs: number;
  readonly maxArgs: number;
  /** Extra arity rule beyond min/max (e.g. Switch needs key/value pairs); returns a problem or undefined. */
  readonly checkCount?: (count: number) => string | undefined;
  readonly extension?: boolean;
}

const MANY = Number.POSITIVE_INFINITY;

const LIST: FunctionSignature[] = [
  { name: 'Append', minArgs: 2, maxArgs: 2 },
  { name: 'BitAnd', minArgs: 2, maxArgs: 2 },
  { name: 'CBool', minArgs: 1, maxArgs: 1 },
  { name: 'CDate', minArgs: 1, maxArgs: 1 },
  { name: 'Coalesce', minArgs: 1, maxArgs: MANY },
  { name: 'ConvertToBase64', minArgs: 1, maxArgs: 1 },
  { name: 'ConvertToUTF8Hex', minArgs: 1, maxArgs: 1 },
  { name: 'Count', minArgs: 1, maxArgs: 1 },
  { name: 'CStr', minArgs: 1, maxArgs: 1 },
  { name: 'DateAdd', minArgs: 3, maxArgs: 3 },
  { name: 'DateDiff', minArgs: 3, maxArgs: 3 },
  { name: 'DateFromNum', minArgs: 1, maxArgs: 1 },
  { name: 'FormatDateTime', minArgs: 3, maxArgs: 4 },
  { name: 'Guid', minArgs: 0, maxArgs: 0 },
  { name: 'IgnoreFlowIfNullOrEmpty', minArgs: 1, maxArgs: 1 },
  { name: 'IIF', minArgs: 3, maxArgs: 3 },
  { name: 'InStr', minArgs: 2, maxArgs: 4 },
  { name: 'IsNull', minArgs: 1, maxArgs: 1 },
  { name: 'IsNullOrEmpty', minArgs: 1, maxArgs: 1 },
  { name: 'IsPresent', minArgs: 1, maxArgs: 1 },
  { name: 'IsString', minArgs: 1, maxArgs: 1 },
  { name: 'Item', minArgs: 2, maxArgs: 2 },
  { name: 'Join', minArgs: 2, maxArgs: MANY },
  { name: 'Left', minArgs: 2, maxArgs: 2 },
  { name: 'Mid', minArgs: 3, maxArgs: 3 },
  { name: 'NormalizeDiacritics', minArgs: 1, maxArgs: 1 },
  { name: 'Not', minArgs: 1, maxArgs: 1 },
  { name: 'Now', minArgs: 0, maxArgs: 0 },
  { name: 'NumFromDate', minArgs: 1, maxArgs: 1 },
  { name: 'PCase', minArgs: 1, maxArgs: 2 },
  { name: 'RandomString', minArgs: 5, maxArgs: 6 },
  { name: 'Redact', minArgs: 1, maxArgs: 1 },
  { name: 'RemoveDuplicates', minArgs: 1, maxArgs: 1 },
  { name: 'Replace', minArgs: 7, maxArgs: 7 },
  { name: 'SelectUniqueValue', minArgs: 2, maxArgs: MANY },
  { name: 'SingleAppRoleAssignment', minArgs: 1, maxArgs: 1 },
  { name: 'Split', minArgs: 2, maxArgs: 2 },
  { name: 'StripSpaces', minArgs: 1, maxArgs: 1 },
  {
    name: 'Switch',
    minArgs: 4,
    maxArgs: MANY,
    checkCount: (n) =>
      n % 2 === 0 ? undefined : 'keys and values must come in pairs (an even number of arguments)',
  },
  { name: 'ToLower', minArgs: 1, maxArgs: 2 },
  { name: 'ToUpper', minArgs: 1, maxArgs: 2 },
  { name: 'Word', minArgs: 3, maxArgs: 3 },
  { name: 'Transliterate', minArgs: 2, maxArgs: 2, extension: true },
];

export const SIGNATURES: ReadonlyMap<string, FunctionSignature> = new Map(LIST.map((s) => [s.name, s]));

/** Bare words accepted as arguments (InStr's compare type). */
export const IDENTIFIERS: ReadonlySet<string> = new Set(['vbTextCompare', 'vbBinaryCompare']);
