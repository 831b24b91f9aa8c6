// Constructor shared by the op modules: fills the common fields of an operation.
import type {
  Attributes,
  OperationKind,
  OperationOf,
  OperationParamsByKind,
  Reason,
  Target,
} from '../plan/model';

export interface OpFields<K extends OperationKind> {
  readonly id?: string;
  readonly target: Target;
  readonly reason: Reason;
  readonly params: OperationParamsByKind[K];
  readonly before?: Attributes;
  readonly after?: Attributes;
  readonly dependsOn?: readonly string[];
}

export function makeOp<K extends OperationKind>(kind: K, fields: OpFields<K>): OperationOf<K> {
  return {
    id: fields.id ?? kind,
    kind,
    target: fields.target,
    before: fields.before ?? {},
    after: fields.after ?? {},
    reason: fields.reason,
    dependsOn: fields.dependsOn ?? [],
    params: fields.params,
  };
}
