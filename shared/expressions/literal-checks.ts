/**
 * Load-time checks of arguments written as string literals, so mistakes that would otherwise only show at run
 * time (a misspelt interval, a bad date format, an unknown culture, an invalid regular expression) are load
 * errors with a position.
 */
import type { ExprNode } from './ast';
import { DateFormatError, tokenizeDateFormat } from './dotnet-datetime';
import { isCultureName } from './transliterate';

type Check = (value: string) => string | undefined;

const interval: Check = (v) =>
  ['yyyy', 'm', 'd', 'ww', 'h', 'n', 's'].includes(v)
    ? undefined
    : `interval "${v}" is not one of yyyy, m, d, ww, h, n, s`;
const dateFormat: Check = (v) => {
  try {
    tokenizeDateFormat(v);
    return undefined;
  } catch (err) {
    if (err instanceof DateFormatError) return err.message;
    throw err;
  }
};
const culture: Check = (v) => {
  if (v === '') return undefined;
  try {
    Intl.getCanonicalLocales(v);
    return undefined;
  } catch {
    return `"${v}" is not a culture name such as en-US`;
  }
};
const regex: Check = (v) => {
  try {
    new RegExp(v, 'd');
    return undefined;
  } catch {
    return 'regexPattern is not a valid regular expression';
  }
};
const transliterationCulture: Check = (v) =>
  isCultureName(v) ? undefined : `"${v}" is not a culture name such as de-DE`;

/** Function → argument index → check. FormatDateTime's format positions depend on its argument count. */
function checksFor(call: Extract<ExprNode, { kind: 'call' }>): Record<number, Check> {
  switch (call.name) {
    case 'DateAdd':
    case 'DateDiff':
      return { 0: interval };
    case 'FormatDateTime':
      return call.args.length === 4 ? { 2: dateFormat, 3: dateFormat } : { 1: dateFormat, 2: dateFormat };
    case 'ToLower':
    case 'ToUpper':
      return { 1: culture };
    case 'Replace':
      return { 2: regex };
    case 'Transliterate':
      return { 1: transliterationCulture };
    default:
      return {};
  }
}

/** Returns the first problem as [argument node, message], or undefined. */
export function checkLiteralArguments(
  call: Extract<ExprNode, { kind: 'call' }>,
): [ExprNode, string] | undefined {
  for (const [index, check] of Object.entries(checksFor(call))) {
    const arg = call.args[Number(index)];
    if (arg?.kind !== 'string') continue;
    const problem = check(arg.value);
    if (problem) return [arg, `${call.name}: ${problem}`];
  }
  return undefined;
}
