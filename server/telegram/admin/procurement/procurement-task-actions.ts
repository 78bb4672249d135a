import { taskStateBotLabels, type ProcurementTaskState } from '../../../../shared/procurement-task-contract.ts';
import type { AdminRepository } from '../../../admin/admin-repository.ts';
import type { CatalogRepository } from '../../../catalog/catalog-repository.ts';
import type { ScreenSender } from '../admin-ui.ts';
import { notificationsScreen } from '../dashboard/statistics-screen.ts';

/** Button codes of the task states (callback data `a:pt:<number>:<code>`). */
export const taskStateCodes = { n: 'new', w: 'in_work', x: 'dismissed' } as const satisfies Record<string, ProcurementTaskState>;
export type TaskStateCode = keyof typeof taskStateCodes;

/**
 * 📬's task buttons: «В работе», «Скрыть» (dismissed) and back to new. The state is the one the
 * admin API and the sheet's Статус_задачи show (admin_events); the screen is redrawn in place.
 */
export function createProcurementTaskActions(deps: { admin: AdminRepository; catalog: CatalogRepository }) {
  return async (ui: ScreenSender, number: string, code: string, messageId: number | undefined): Promise<string> => {
    const state = taskStateCodes[code as TaskStateCode];
    if (!/^\d{1,9}$/.test(number) || !state) return 'Эта кнопка устарела';
    const record = await deps.catalog.get(number);
    const task = record ? await deps.admin.setProcurementTask(record.id, state) : null;
    if (!task) return `№${number} больше не задача на закупку`;
    const screen = notificationsScreen(await deps.admin.notifications());
    await (messageId ? ui.edit(messageId, screen) : ui.send(screen));
    // The answer is a toast: plain text, no HTML.
    return `№${task.number}: ${taskStateBotLabels[task.state]}`;
  };
}
