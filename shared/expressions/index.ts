/** Public API of the expression language (wiring only). */
export { compileExpression, type CompiledExpression, type CompileOptions } from './compiler';
export {
  evaluateExpression,
  seededRandom,
  type EvaluationContext,
  type EvaluationResult,
  type JsonValue,
} from './evaluate';
export { ExpressionError, type ExpressionErrorCode } from './errors';
export { SIGNATURES } from './signatures';
export { transliterate, TRANSLITERATION_CULTURES } from './transliterate';
export { normalizeDiacritics } from './diacritics';
