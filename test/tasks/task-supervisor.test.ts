import { describe, expect, it } from 'vitest';
import { createLogger } from '../../server/logger.ts';
import type { BackgroundTask } from '../../server/tasks/background-task.ts';
import { defaultRestartPolicy, restartDelayMs } from '../../server/tasks/restart-policy.ts';
import { createSafeErrorMessage } from '../../server/tasks/safe-error-message.ts';
import { createTaskSupervisor, type TaskAlerts, type TaskStatus } from '../../server/tasks/task-supervisor.ts';

const logger = createLogger('silent');
const fast = { initialDelayMs: 20, maxDelayMs: 80, failedAfterFailures: 3, startWaitMs: 1000, stopWaitMs: 1000 };

/** Resolves once `check` holds, polling every 5 ms (fails the test after `timeoutMs`). */
async function until(check: () => boolean, timeoutMs = 3000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A task whose runs follow a script: 'throw', 'return' (ends on its own) or 'work' (runs until stopped). */
function scriptedTask(name: string, script: Array<'throw' | 'return' | 'work'>) {
  const startedAt: number[] = [];
  const task: BackgroundTask = {
    name,
    async run({ signal, succeeded }) {
      startedAt.push(performance.now());
      const step = script[Math.min(startedAt.length - 1, script.length - 1)];
      await new Promise((resolve) => setImmediate(resolve));
      if (step === 'throw') throw new Error(`${name} attempt ${startedAt.length} broke`);
      if (step === 'return') return;
      while (!signal.aborted) {
        succeeded();
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
  };
  return { task, startedAt };
}

function recordingAlerts() {
  const events: string[] = [];
  const alerts: TaskAlerts = {
    failing: async (status) => void events.push(`failing ${status.name} after ${status.failuresInRow}`),
    recovered: async (status, episode) => void events.push(`recovered ${status.name} after ${episode.failures}`),
  };
  return { alerts, events };
}

const statusOf = (statuses: TaskStatus[], name: string) => statuses.find((s) => s.name === name)!;

describe('task supervisor', () => {
  it('backoff doubles from the first delay, stops at the cap, and jitters within the upper half', () => {
    const policy = { ...defaultRestartPolicy, initialDelayMs: 100, maxDelayMs: 1000 };
    expect([1, 2, 3, 4, 5, 6].map((n) => restartDelayMs(n, policy, () => 1))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(restartDelayMs(3, policy, () => 0)).toBe(200);
    for (let i = 0; i < 50; i++) {
      const delay = restartDelayMs(3, policy);
      expect(delay).toBeGreaterThanOrEqual(200);
      expect(delay).toBeLessThanOrEqual(400);
    }
  });

  it('a task that throws is restarted after growing pauses and, once it works, counts as recovered', async () => {
    const { task, startedAt } = scriptedTask('flaky', ['throw', 'throw', 'work']);
    const supervisor = createTaskSupervisor({ tasks: [task], logger, policy: { ...fast, failedAfterFailures: 10 }, random: () => 1 });
    await supervisor.start();
    await until(() => statusOf(supervisor.snapshot(), 'flaky').lastSuccessAt !== null);
    const gaps = [startedAt[1]! - startedAt[0]!, startedAt[2]! - startedAt[1]!];
    expect(gaps[0]).toBeGreaterThanOrEqual(19); // initialDelayMs
    expect(gaps[1]).toBeGreaterThanOrEqual(39); // doubled
    expect(statusOf(supervisor.snapshot(), 'flaky')).toMatchObject({
      state: 'running',
      restarts: 2,
      failuresInRow: 0,
      failingSince: null,
      lastError: 'flaky attempt 2 broke',
    });
    await supervisor.stop();
    expect(statusOf(supervisor.snapshot(), 'flaky').state).toBe('stopped');
  });

  it('a loop that returns while the server runs is a failure and runs again', async () => {
    const { task, startedAt } = scriptedTask('quitter', ['return', 'work']);
    const supervisor = createTaskSupervisor({ tasks: [task], logger, policy: fast });
    await supervisor.start();
    await until(() => startedAt.length === 2 && statusOf(supervisor.snapshot(), 'quitter').lastSuccessAt !== null);
    expect(statusOf(supervisor.snapshot(), 'quitter')).toMatchObject({ state: 'running', restarts: 1, lastError: 'the task stopped on its own while the server runs' });
    await supervisor.stop();
  });

  it('past the policy the task is failed and the admin hears once per episode, then once when it recovers', async () => {
    let broken = true;
    const task: BackgroundTask = {
      name: 'queue',
      async run({ signal, succeeded }) {
        await new Promise((resolve) => setImmediate(resolve));
        if (broken) throw new Error('database said no');
        succeeded();
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      },
    };
    const { alerts, events } = recordingAlerts();
    const supervisor = createTaskSupervisor({ tasks: [task], logger, policy: { ...fast, maxDelayMs: 20 }, alerts });
    await supervisor.start();
    await until(() => statusOf(supervisor.snapshot(), 'queue').failuresInRow >= 8);
    expect(statusOf(supervisor.snapshot(), 'queue').state).toBe('failed');
    expect(events).toEqual(['failing queue after 3']);
    broken = false;
    await until(() => statusOf(supervisor.snapshot(), 'queue').state === 'running');
    await until(() => events.length === 2);
    expect(Number(/^recovered queue after (\d+)$/.exec(events[1]!)?.[1])).toBeGreaterThanOrEqual(8);
    await supervisor.stop();
  });

  it('stop waits for the work in hand and stops tasks in reverse order', async () => {
    const order: string[] = [];
    const worker = (name: string): BackgroundTask => ({
      name,
      async run({ signal, succeeded }) {
        succeeded();
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
        await new Promise((resolve) => setTimeout(resolve, 30)); // finishing a send in hand
        order.push(name);
      },
    });
    const supervisor = createTaskSupervisor({ tasks: [worker('first'), worker('second')], logger, policy: fast });
    await supervisor.start();
    expect(supervisor.snapshot().map((s) => s.state)).toEqual(['running', 'running']);
    await supervisor.stop();
    expect(order).toEqual(['second', 'first']);
    expect(supervisor.snapshot().map((s) => s.state)).toEqual(['stopped', 'stopped']);
    await supervisor.stop(); // twice is fine
  });

  it('error lines shown on /health and to the admin carry no secrets', () => {
    const describe = createSafeErrorMessage(['service-role-secret-value']);
    const line = describe(new Error('fetch https://api.telegram.org/bot123456789:AAE_abcdefghijklmnopqrstuvwxyz0123/getUpdates failed; key service-role-secret-value'));
    expect(line).toBe('fetch https://api.telegram.org/bot[redacted]/getUpdates failed; key [redacted]');
    expect(describe(new TypeError("Cannot read properties of null (reading 'length')"))).toBe("TypeError: Cannot read properties of null (reading 'length')");
    expect(describe('x'.repeat(1000))).toHaveLength(300);
  });
});
