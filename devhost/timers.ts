// Runs the app's timer functions on their NCRONTAB schedules (and once at start when runOnStartup is set), one
// invocation at a time per function, as the host's singleton lock does.
import { InvocationContext } from '@azure/functions';
import { randomUUID } from 'node:crypto';
import type { LoadedApp } from './loadApp';
import type { Logger } from './logger';
import { parseSchedule } from './ncrontab';

export interface TimerHost {
  /** Runs a timer function now (tests and the `POST /admin/functions/{name}` dev route use it). */
  invoke(name: string): Promise<void>;
  names: string[];
  stop(): void;
}

export function startTimers(
  loaded: LoadedApp,
  logger: Logger,
  now: () => Date = () => new Date(),
): TimerHost {
  const timers = loaded.functions.filter((f) => loaded.trigger(f).type === 'timerTrigger');
  const handles = new Map<string, NodeJS.Timeout>();
  const running = new Map<string, Promise<void>>();
  let stopped = false;

  const run = async (name: string, isPastDue: boolean, last?: Date, next?: Date): Promise<void> => {
    const fn = timers.find((t) => t.name === name);
    if (!fn) throw new Error(`no timer function named ${name}`);
    const previous = running.get(name);
    if (previous) return previous;
    const context = new InvocationContext({
      functionName: name,
      invocationId: randomUUID(),
      logHandler: (level, ...args) => logger.functionLog(name, level, args),
    });
    const timer = {
      isPastDue,
      schedule: { adjustForDST: false },
      scheduleStatus: {
        last: last?.toISOString(),
        next: next?.toISOString(),
        lastUpdated: now().toISOString(),
      },
    };
    const p = (async () => {
      try {
        await fn.handler(timer, context);
      } catch (error) {
        logger.functionLog(name, 'error', [`Executed '${name}' (Failed)`, error]);
      } finally {
        running.delete(name);
      }
    })();
    running.set(name, p);
    return p;
  };

  for (const fn of timers) {
    const trigger = loaded.trigger(fn);
    const schedule = parseSchedule(String(trigger.schedule));
    let last: Date | undefined;
    const arm = (): void => {
      if (stopped) return;
      const next = schedule.next(now());
      const delay = Math.max(0, next.getTime() - now().getTime());
      // setTimeout takes at most ~24.8 days; re-arm in steps for longer waits.
      handles.set(
        fn.name,
        setTimeout(
          () => {
            if (now().getTime() + 5 < next.getTime()) return arm();
            void run(fn.name, false, last, schedule.next(next)).then(() => {
              last = next;
              arm();
            });
          },
          Math.min(delay, 2 ** 31 - 1),
        ),
      );
    };
    if (trigger.runOnStartup === true) void run(fn.name, false);
    arm();
  }

  return {
    names: timers.map((t) => t.name),
    invoke: (name) => run(name, false),
    stop() {
      stopped = true;
      for (const h of handles.values()) clearTimeout(h);
    },
  };
}
