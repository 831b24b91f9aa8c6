/**
 * The typed, validated Flow model: what Tenure does with one HR source and one Entra tenant. Produced only by
 * `parseFlow`/`loadFlow` (shared/flows/loader.ts), which check everything below, so consumers (lifecycle
 * engine, HR ingestion, CLI) can trust every field without re-validating. Plain data: no class instances or
 * functions, so a flow can be logged, serialised and compared.
 */
import type { CompiledExpression } from '../expressions/compiler';

export const FLOW_SCHEMA_VERSION = 1;

export interface Flow {
  /** Always FLOW_SCHEMA_VERSION; the YAML file says `version: 1`. */
  readonly version: number;
  /** Short machine name of the flow (letters, digits, `-`, `_`). */
  readonly name: string;
  readonly description?: string;
  /** Id of the Entra tenant connection the flow writes to (see the connections store). */
  readonly connection: string;
  /** File the flow was loaded from (`<inline>` when parsed from text without a name); for messages only. */
  readonly sourceFile: string;
  readonly hr: HrDefinition;
  readonly matching: Matching;
  readonly status: StatusMapping;
  readonly stages: StageOptions;
  /** Entra user attribute → expression over HR fields. Never contains naming or lifecycle-owned attributes. */
  readonly attributes: Readonly<Record<string, CompiledExpression>>;
  readonly naming: Naming;
  readonly groups: EntitlementRules;
  readonly licenses: EntitlementRules;
  /** HR field holding the manager's employee ID (the manager is looked up by Entra `employeeId`). */
  readonly manager?: { readonly field: string };
  readonly guard: MassChangeGuard;
  readonly fullExtract: FullExtractPolicy;
  /** SCIM attribute path → HR field, overriding the default SCIM mapping of API-driven ingestion. */
  readonly scim: Readonly<Record<string, string>>;
  /** Example cases run by `tenure test`. */
  readonly examples: readonly FlowExample[];
}

// ---------------------------------------------------------------------------------------------------------
// HR data definition

export type HrFieldType = 'string' | 'number' | 'boolean' | 'date' | 'datetime';

export interface HrField {
  readonly name: string;
  readonly type: HrFieldType;
  readonly required: boolean;
  /**
   * Accepted input formats for `date`/`datetime` fields, as .NET custom format strings (`yyyy-MM-dd`,
   * `MM/dd/yyyy`, `yyyy-MM-ddTHH:mm:ssK`). Empty: ISO 8601 only. Ignored for other types.
   */
  readonly formats: readonly string[];
  /** True when the field holds a list of strings (e.g. cost centres). */
  readonly multiValued: boolean;
}

/** Where a worker's time zone comes from: a fixed IANA zone, or an HR field with a fallback zone. */
export type WorkerTimeZone =
  | { readonly kind: 'fixed'; readonly zone: string }
  | { readonly kind: 'field'; readonly field: string; readonly fallback: string };

export interface HrDefinition {
  /** In declaration order; names are unique. */
  readonly fields: readonly HrField[];
  readonly timeZone: WorkerTimeZone;
}

// ---------------------------------------------------------------------------------------------------------
// Matching

export interface Matching {
  /** HR field whose value is stored in Entra `employeeId` (max 16 characters per Graph) and joins the two. */
  readonly joinKey: string;
  readonly rehire?: RehireMatching;
}

export interface RehireMatching {
  /** HR field holding a returning worker's previous employee ID, when HR issues a new one on rehire. */
  readonly previousIdField?: string;
  /** Reuse (re-enable) the old account when the worker returns within this many days of termination. */
  readonly reuseAccountWithinDays: number;
}

// ---------------------------------------------------------------------------------------------------------
// Status mapping

export type LeaveKind = 'long-term' | 'fmla' | 'legal' | 'security' | 'discipline';
export const LEAVE_KINDS: readonly LeaveKind[] = ['long-term', 'fmla', 'legal', 'security', 'discipline'];

export type Stage = 'active' | 'leave' | 'terminated' | 'retired';

/** What an HR status value means. `kind` is present exactly when `stage` is `leave`. */
export type StageResolution =
  | { readonly stage: 'active' | 'terminated' | 'retired' }
  | { readonly stage: 'leave'; readonly kind: LeaveKind };

export interface StatusMapping {
  /** HR field holding the worker status. */
  readonly field: string;
  /** HR status value (exact, case-sensitive) → stage. */
  readonly values: Readonly<Record<string, StageResolution>>;
  /**
   * Checked before `values`, in order; the first whose condition holds decides the stage. For sources that
   * spread status over several fields (Microsoft's CSV sample: `WorkerStatus` plus an `OnLeave` flag;
   * Workday: a leave type beside the status).
   */
  readonly overrides: readonly StatusOverride[];
  /** Stage for values not listed; undefined: an unlisted value is an error for that record. */
  readonly otherwise?: StageResolution;
  /** HR date field holding the first day of work. */
  readonly startDate: string;
  /** HR date field holding the last day worked (termination effective after this day, worker's time zone). */
  readonly lastDayWorked?: string;
  /** HR field that versions a record (later wins); ingestion uses it to drop stale updates. */
  readonly asOf?: string;
}

export interface StatusOverride {
  readonly when: Condition;
  readonly stage: StageResolution;
}

// ---------------------------------------------------------------------------------------------------------
// Stage options

export type StageName = 'hire' | 'update' | 'leave' | 'termination' | 'delete';
export const STAGE_NAMES: readonly StageName[] = ['hire', 'update', 'leave', 'termination', 'delete'];

export interface StageOptions {
  /** Stages this flow runs; a stage not listed is never planned. */
  readonly run: readonly StageName[];
  readonly hire: HireOptions;
  readonly update: UpdateOptions;
  /** Options per leave kind; every kind is present (defaults filled in by the loader). */
  readonly leave: Readonly<Record<LeaveKind, LeaveOptions>>;
  readonly termination: TerminationOptions;
  /** Used for `retired` workers; equals `termination` unless the file sets `retirement`. */
  readonly retirement: TerminationOptions;
  readonly delete: DeleteOptions;
}

export interface HireOptions {
  /** Create the account this many days before the start date. */
  readonly createDaysBeforeStart: number;
  /** When the account becomes enabled: always start-of-day of the start date in the worker's time zone. */
  readonly enableOn: 'startDate';
  readonly initialCredential: InitialCredential;
}

export type CharacterClass = 'lower' | 'upper' | 'digit' | 'symbol';

export type InitialCredential =
  | { readonly kind: 'password'; readonly length: number; readonly classes: readonly CharacterClass[] }
  | { readonly kind: 'passphrase'; readonly words: number }
  | { readonly kind: 'temporaryAccessPass'; readonly lifetimeMinutes: number };

/**
 * How group membership is reconciled: `managed-only` removes only groups this flow's rules can grant;
 * `add-only` never removes; `strict` removes every group the rules do not grant.
 */
export type GroupRetention = 'managed-only' | 'add-only' | 'strict';

export interface UpdateOptions {
  readonly groupRetention: GroupRetention;
}

export interface LeaveOptions {
  readonly disable: boolean;
  readonly revokeSessions: boolean;
  readonly removeGroups: boolean;
  readonly removeLicenses: boolean;
  readonly playbook: readonly PlaybookStep[];
}

export interface TerminationOptions {
  readonly disable: boolean;
  readonly revokeSessions: boolean;
  readonly removeGroups: boolean;
  readonly removeLicenses: boolean;
  readonly playbook: readonly PlaybookStep[];
}

/**
 * One named step of a leave/termination playbook. Step kinds are defined by the modules that run them
 * (Exchange/OneDrive leaver handling); the loader only checks the shape, so new kinds need no model change.
 */
export interface PlaybookStep {
  /** Step kind, e.g. `convertToSharedMailbox`, `setAutoReply`, `transferOneDrive`. */
  readonly step: string;
  /** Run the step only when this holds for the worker's HR record. */
  readonly when?: Condition;
  /** Step options: literals, or expressions over HR fields (`{ expr: '…' }` in YAML). */
  readonly with: Readonly<Record<string, StepArgument>>;
}

export type Literal =
  string | number | boolean | null | readonly Literal[] | { readonly [key: string]: Literal };

export type StepArgument =
  | { readonly kind: 'literal'; readonly value: Literal }
  | { readonly kind: 'expression'; readonly expression: CompiledExpression };

export interface DeleteOptions {
  /** Delete the account this many days after termination (Entra keeps it restorable for 30 days); undefined: never. */
  readonly afterDays?: number;
}

// ---------------------------------------------------------------------------------------------------------
// Naming

export interface Naming {
  /** Ordered candidate expressions; the reconciler's uniqueness step takes the first value not in use. */
  readonly userPrincipalName: readonly CompiledExpression[];
  readonly mailNickname: readonly CompiledExpression[];
  /** Empty when the flow does not set mail (e.g. Exchange assigns it). */
  readonly mail: readonly CompiledExpression[];
  /** On a rename, keep the old primary address as an alias (proxy address). */
  readonly keepOldAddressAsAlias: boolean;
}

// ---------------------------------------------------------------------------------------------------------
// Conditions (Entra scoping-filter semantics)

export type ConditionOperator =
  | 'EQUALS'
  | 'NOT EQUALS'
  | 'IS TRUE'
  | 'IS FALSE'
  | 'IS NULL'
  | 'IS NOT NULL'
  | 'REGEX MATCH'
  | 'NOT REGEX MATCH'
  | 'GREATER_THAN'
  | 'GREATER_THAN_OR_EQUALS'
  | 'LESS_THAN'
  | 'LESS_THAN_OR_EQUALS'
  | 'INCLUDES'
  | 'NOT INCLUDES';

export interface ConditionStatement {
  /** HR field tested. */
  readonly attribute: string;
  readonly operator: ConditionOperator;
  /** Comparison value; absent for IS TRUE/IS FALSE/IS NULL/IS NOT NULL. INCLUDES tests for a substring. */
  readonly value?: string;
}

/** Statements within a clause are ANDed; clauses are ORed (Entra scoping filters). */
export interface Condition {
  readonly anyOf: readonly { readonly allOf: readonly ConditionStatement[] }[];
}

// ---------------------------------------------------------------------------------------------------------
// Groups and licences

/**
 * A group or licence reference as written: an object id / SKU id (GUID), or a display name / SKU part number
 * that the engine resolves against the tenant (names must be unique there).
 */
export type EntitlementRef = string;

export interface EntitlementRule {
  readonly when: Condition;
  readonly grant: readonly EntitlementRef[];
}

export interface ExclusiveSet {
  readonly name: string;
  /** Members with priorities; when several are granted, only the one with the lowest priority number stays. */
  readonly members: readonly { readonly ref: EntitlementRef; readonly priority: number }[];
}

export interface EntitlementRules {
  /** Granted to every worker in scope. */
  readonly defaults: readonly EntitlementRef[];
  readonly rules: readonly EntitlementRule[];
  readonly exclusive: readonly ExclusiveSet[];
}

// ---------------------------------------------------------------------------------------------------------
// Safety and source handling

export interface MassChangeGuard {
  /** ISO 8601 duration of the sliding window, as written (e.g. `PT1H`). */
  readonly window: string;
  readonly windowMs: number;
  readonly maxDisables: number;
  readonly maxDeletes: number;
  readonly maxGroupRemovals: number;
}

export interface FullExtractPolicy {
  /** What to do with a worker present in Entra/state but absent from a full CSV extract. */
  readonly missingWorkers: 'report' | 'terminate';
}

// ---------------------------------------------------------------------------------------------------------
// Examples

export interface FlowExample {
  readonly name: string;
  /** Raw HR record, validated with `parseHrRecord` when the example runs. */
  readonly record: Readonly<Record<string, unknown>>;
  /** Frozen clock for Now()/DateDiff (ISO 8601); default 2000-01-01T00:00:00Z. */
  readonly now?: string;
  /** Values already used in the directory (for naming / SelectUniqueValue). */
  readonly taken: readonly string[];
  readonly expect: ExampleExpectation;
}

export interface ExampleExpectation {
  /** Attribute → expected value; `null` means the attribute must be left out (skipped). */
  readonly attributes: Readonly<Record<string, Literal>>;
  readonly userPrincipalName?: string;
  readonly mailNickname?: string;
  readonly mail?: string;
  readonly stage?: StageResolution;
  /** Exact sets (order ignored). */
  readonly groups?: readonly string[];
  readonly licenses?: readonly string[];
  /** When set, the record must fail HR validation on exactly these fields. */
  readonly invalidFields?: readonly string[];
}
