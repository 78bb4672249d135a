import { ServerError } from './server-client.ts';
import * as settings from './settings.ts';

/** How long an execution waits for another one (a reconcile, an outbox apply) to finish. */
export const lockWaitMs = 20_000;

/**
 * The one error boundary of every entry point: the error is kept for the status sidebar, a
 * failed sync schedules a reconcile (so nothing is lost), and a menu action shows the message.
 */
export function guarded<T>(name: string, fn: () => T, options: { ui: boolean }): T | undefined {
  try {
    return fn();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    settings.recordError(`${name}: ${message}`, new Date());
    if (error instanceof ServerError || name.startsWith('sync')) settings.setNeedsReconcile(true);
    console.error(`${name} failed: ${message}`);
    if (options.ui) SpreadsheetApp.getUi().alert('Винил', message, SpreadsheetApp.getUi().ButtonSet.OK);
    return undefined;
  }
}

/**
 * Runs under the script lock, so an edit push, a reconcile and an outbox apply never interleave.
 * When the lock stays busy the work is left to the next reconcile instead of being dropped.
 */
export function withScriptLock<T>(fn: () => T): T | undefined {
  const lock = LockService.getScriptLock();
  if (!lock.tryLock(lockWaitMs)) {
    settings.setNeedsReconcile(true);
    settings.recordError('Синхронизация занята другим запуском: изменения уйдут со следующей сверкой', new Date());
    return undefined;
  }
  try {
    return fn();
  } finally {
    lock.releaseLock();
  }
}
