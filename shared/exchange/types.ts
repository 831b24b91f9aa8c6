// Plain shapes of the Exchange Online admin API (InvokeCommand), as the ExchangeOnlineManagement v3 module uses it
// (graph-spec.md §7.2). Built and processed by pure functions; only ExchangeAdminClient sends them.

/** A cmdlet parameter value: scalars, lists, or a `#Exchange.GenericHashTable` (Add/Remove). */
export type CmdletValue =
  | string
  | number
  | boolean
  | null
  | readonly (string | number | boolean)[]
  | { readonly [key: string]: CmdletValue };

export type CmdletParameters = Readonly<Record<string, CmdletValue>>;

export interface CmdletInput {
  readonly cmdlet: string;
  readonly parameters: CmdletParameters;
}

/** What a cmdlet returned: its objects (all pages) and Exchange's warnings. */
export interface CmdletResult {
  readonly value: readonly Readonly<Record<string, unknown>>[];
  readonly warnings: readonly string[];
}

export interface ExchangeHttpResponse {
  readonly status: number;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  /** Raw body text (JSON for answers and errors; plain text for the concurrency refusal). */
  readonly text: string;
}

/** The pipe-delimited `error.details[].message` of a failed cmdlet: `<ErrorId>|<ExceptionType>|<Message>`. */
export interface CmdletFailure {
  readonly errorId: string;
  /** Full .NET type name, e.g. `Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException`. */
  readonly exceptionType: string;
  readonly message: string;
}
