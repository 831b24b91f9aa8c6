/** Conditional and test functions: CBool, Coalesce, IgnoreFlowIfNullOrEmpty, IIF, IsNull, IsNullOrEmpty, IsPresent, IsString, Not, Switch, BitAnd. */
import { EvaluationFault } from '../errors';
import { SkipAttribute, type FunctionImpl } from '../runtime';
import { isNullOrEmpty, toBoolean, toNumber, toText, type Value } from '../values';

function switchKeyText(v: Value): string {
  return toText(v, 'Switch') ?? '';
}

export const LOGIC_FUNCTIONS: Record<string, FunctionImpl> = {
  BitAnd: (a) => {
    const x = toNumber(a.value(0), 'BitAnd value1');
    const y = toNumber(a.value(1), 'BitAnd value2');
    if (!Number.isInteger(x) || !Number.isInteger(y)) throw new EvaluationFault('BitAnd needs whole numbers');
    return Number(BigInt(x) & BigInt(y));
  },
  CBool: (a) => toBoolean(a.value(0), 'CBool expression'),
  Coalesce: (a) => {
    for (let i = 0; i < a.count; i++) {
      const v = a.value(i);
      if (v !== null && !(Array.isArray(v) && v.length === 0)) return v;
    }
    return null;
  },
  IgnoreFlowIfNullOrEmpty: (a) => {
    const v = a.value(0);
    if (isNullOrEmpty(v)) throw new SkipAttribute();
    return v;
  },
  IIF: (a) => (toBoolean(a.value(0), 'IIF condition') ? a.value(1) : a.value(2)),
  IsNull: (a) => {
    const v = a.value(0);
    return v === null || (Array.isArray(v) && v.length === 0);
  },
  IsNullOrEmpty: (a) => isNullOrEmpty(a.value(0)),
  IsPresent: (a) => !isNullOrEmpty(a.value(0)),
  IsString: (a) => typeof a.value(0) === 'string',
  Not: (a) => {
    const v = a.value(0);
    const isTrue = v === true || (typeof v === 'string' && /^\s*true\s*$/i.test(v));
    return !isTrue;
  },
  // Case-sensitive, as Microsoft documents; an absent source matches the key "".
  Switch: (a) => {
    const source = switchKeyText(a.value(0));
    for (let i = 2; i + 1 < a.count; i += 2) {
      if (switchKeyText(a.value(i)) === source) return a.value(i + 1);
    }
    return a.value(1);
  },
};
