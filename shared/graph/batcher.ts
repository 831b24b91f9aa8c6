/**
 * Coalescing of independent requests: requests submitted in the same tick (operations of one dependency level,
 * or of several workers processed concurrently) go out as one `$batch` of up to 20; group additions to the same
 * group coalesce into `members@odata.bind` PATCHes of up to 20 (all-or-nothing, so on any failure each member is
 * added on its own, where "already a member" counts as success). Work done once for several callers runs under
 * the earliest of their run deadlines (engine/runDeadline.ts), so no caller's run waits past its own.
 */
import { earliestDeadline, runDeadline, withRunDeadline } from '../engine/runDeadline';
import type { GraphExecutor } from './executor';
import { MAX_BATCH } from './executor';
import { build } from './requests';
import { isSuccess, type GraphRequest, type GraphResponse } from './types';

interface Queued {
  readonly request: GraphRequest;
  readonly deadline: number | undefined;
  readonly resolve: (r: GraphResponse) => void;
  readonly reject: (e: unknown) => void;
}

export class RequestBatcher {
  private queue: Queued[] = [];
  private scheduled = false;

  constructor(
    private readonly executor: GraphExecutor,
    private readonly enabled = true,
  ) {}

  submit(request: GraphRequest): Promise<GraphResponse> {
    if (!this.enabled) return this.executor.send(request);
    return new Promise((resolve, reject) => {
      this.queue.push({ request, deadline: runDeadline(), resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const queued = this.queue;
    this.queue = [];
    for (let i = 0; i < queued.length; i += MAX_BATCH) {
      const chunk = queued.slice(i, i + MAX_BATCH);
      const deadline = earliestDeadline(chunk.map((q) => q.deadline));
      if (chunk.length === 1) {
        withRunDeadline(deadline, () => this.executor.send(chunk[0].request)).then(
          chunk[0].resolve,
          chunk[0].reject,
        );
        continue;
      }
      const items = chunk.map((q, n) => ({ id: String(n + 1), request: q.request }));
      withRunDeadline(deadline, () => this.executor.batch(items)).then(
        (responses) =>
          chunk.forEach((q, n) =>
            q.resolve(responses.get(String(n + 1)) ?? { status: 424, headers: {}, body: undefined }),
          ),
        (err) => chunk.forEach((q) => q.reject(err)),
      );
    }
  }
}

interface PendingMember {
  readonly userId: string;
  readonly deadline: number | undefined;
  readonly resolve: (r: GraphResponse) => void;
  readonly reject: (e: unknown) => void;
}

export class MemberBinder {
  private readonly pending = new Map<string, PendingMember[]>();
  private scheduled = false;

  constructor(
    private readonly batcher: RequestBatcher,
    private readonly executor: GraphExecutor,
    private readonly graphRoot: string,
    /** How long to wait for more additions to the same group (0: same tick only). */
    private readonly windowMs = 0,
  ) {}

  add(groupId: string, userId: string): Promise<GraphResponse> {
    return new Promise((resolve, reject) => {
      const list = this.pending.get(groupId) ?? [];
      list.push({ userId, deadline: runDeadline(), resolve, reject });
      this.pending.set(groupId, list);
      if (!this.scheduled) {
        this.scheduled = true;
        const run = () => void this.flush();
        if (this.windowMs > 0) setTimeout(run, this.windowMs);
        else setImmediate(run);
      }
    });
  }

  private single(groupId: string, m: PendingMember): void {
    withRunDeadline(m.deadline, () =>
      this.batcher.submit(build.addMember(this.graphRoot, groupId, m.userId)),
    ).then(m.resolve, m.reject);
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const all = [...this.pending];
    this.pending.clear();
    for (const [groupId, members] of all) {
      if (members.length === 1) {
        this.single(groupId, members[0]);
        continue;
      }
      for (let i = 0; i < members.length; i += MAX_BATCH) {
        const chunk = members.slice(i, i + MAX_BATCH);
        const ids = [...new Set(chunk.map((m) => m.userId))];
        const deadline = earliestDeadline(chunk.map((m) => m.deadline));
        withRunDeadline(deadline, () =>
          this.executor.send(build.bindMembers(this.graphRoot, groupId, ids)),
        ).then(
          (r) => {
            if (isSuccess(r.status)) chunk.forEach((m) => m.resolve(r));
            else chunk.forEach((m) => this.single(groupId, m));
          },
          () => chunk.forEach((m) => this.single(groupId, m)),
        );
      }
    }
  }
}
