/** One problem found while loading a flow file, positioned in that file (line and column are 1-based). */
export interface FlowIssue {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Dotted path of the offending key, e.g. `attributes.displayName` or `groups.rules[2].when`. */
  readonly path: string;
  readonly message: string;
}

export function formatIssue(issue: FlowIssue): string {
  return `${issue.file}:${issue.line}:${issue.column}: ${issue.path ? `${issue.path}: ` : ''}${issue.message}`;
}

/**
 * A flow file that cannot be used. Carries every issue found (not just the first), each with file:line:col.
 * Code `TENURE_FLOW_INVALID` for content problems, `TENURE_FLOW_UNREADABLE` when the file cannot be read.
 */
export class FlowLoadError extends Error {
  readonly code: 'TENURE_FLOW_INVALID' | 'TENURE_FLOW_UNREADABLE';
  readonly issues: readonly FlowIssue[];

  constructor(code: FlowLoadError['code'], issues: readonly FlowIssue[], options?: ErrorOptions) {
    super(issues.map(formatIssue).join('\n'), options);
    this.name = 'FlowLoadError';
    this.code = code;
    this.issues = issues;
  }
}
