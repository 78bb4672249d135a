import { z } from 'zod';

/**
 * A procurement task's state: one value shared by the bot's 📬 screen, the admin API and the
 * sheet's Оповещения_админу (column Статус_задачи). The task is the 'procurement' row of
 * admin_events (supabase/migrations/20261203001000_procurement_task_states.sql); a record in
 * 🟡 Procurement Task without that row counts as a new task.
 */
export const ProcurementTaskState = {
  New: 'new',
  InWork: 'in_work',
  Done: 'done',
  Dismissed: 'dismissed',
} as const;
export type ProcurementTaskState = (typeof ProcurementTaskState)[keyof typeof ProcurementTaskState];
export const procurementTaskStates = Object.values(ProcurementTaskState) as [ProcurementTaskState, ...ProcurementTaskState[]];
export const procurementTaskStateSchema = z.enum(procurementTaskStates);

/** The states that still want the admin: the bot's 📬 screen and GET /api/admin/notifications show these. */
export const pendingTaskStates: readonly ProcurementTaskState[] = ['new', 'in_work'];

/** Статус_задачи as the sheet shows it. */
export const taskStateSheetLabels: Record<ProcurementTaskState, string> = {
  new: 'Новая',
  in_work: 'В работе',
  done: 'Выполнена',
  dismissed: 'Скрыта',
};

/** The same states in the bot, with a sign for a quick look. */
export const taskStateBotLabels: Record<ProcurementTaskState, string> = {
  new: '🆕 новая',
  in_work: '🛠 в работе',
  done: '✅ выполнена',
  dismissed: '🙈 скрыта',
};

const typed = (text: string) => text.trim().toLowerCase().replace(/ё/g, 'е').replace(/[\s_-]+/g, ' ');
const stateByWord = new Map<string, ProcurementTaskState>();
for (const state of procurementTaskStates) {
  stateByWord.set(typed(state), state);
  stateByWord.set(typed(taskStateSheetLabels[state]), state);
}
// What the admin may type by hand, and the value rows had before task states existed.
for (const [word, state] of [['open', 'new'], ['новый', 'new'], ['в работу', 'in_work'], ['готово', 'done'], ['выполнено', 'done'], ['скрыть', 'dismissed'], ['скрыто', 'dismissed'], ['отклонена', 'dismissed']] as const) {
  stateByWord.set(typed(word), state);
}

/** The state a Статус_задачи cell stands for (label or English value, any case); undefined for anything else. */
export function taskStateFromCell(value: unknown): ProcurementTaskState | undefined {
  return typeof value === 'string' ? stateByWord.get(typed(value)) : undefined;
}

/** PATCH /api/admin/procurement-tasks/:id */
export const procurementTaskChangeSchema = z.object({ state: procurementTaskStateSchema });
export type ProcurementTaskChange = z.infer<typeof procurementTaskChangeSchema>;

/** GET /api/admin/procurement-tasks?state=new,in_work (default: the pending ones; `all` for every state). */
export const procurementTasksQuerySchema = z.object({
  state: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === '') return [...pendingTaskStates];
      if (value.trim() === 'all') return [...procurementTaskStates];
      const states = value.split(',').map((s) => s.trim());
      const bad = states.filter((s) => !procurementTaskStateSchema.safeParse(s).success);
      if (bad.length > 0) {
        ctx.addIssue({ code: 'custom', message: `unknown state ${bad.join(', ')}: use ${procurementTaskStates.join(', ')} or all, comma-separated` });
        return z.NEVER;
      }
      return states as ProcurementTaskState[];
    })
    .describe('Comma-separated states (new, in_work, done, dismissed) or all; default new,in_work'),
});

export const procurementTaskSchema = z
  .object({
    task_id: z.uuid().nullable().describe('The task row of Оповещения_админу; null while nobody has touched a task made by hand'),
    record_id: z.uuid(),
    number: z.number().int(),
    title: z.string(),
    artist: z.string(),
    record_status: z.string(),
    state: procurementTaskStateSchema,
    demand_count: z.number().int().describe('Verified people waiting'),
    total_demand: z.number().int().describe('Everybody waiting'),
    created_at: z.string().describe('ISO 8601 time'),
    state_changed_at: z.string().nullable().describe('ISO 8601 time of the last change of state'),
  })
  .meta({ id: 'ProcurementTask' });
export type ProcurementTask = z.infer<typeof procurementTaskSchema>;

export const procurementTaskListSchema = z.object({ tasks: z.array(procurementTaskSchema) }).meta({ id: 'ProcurementTaskList' });
export type ProcurementTaskList = z.infer<typeof procurementTaskListSchema>;

/** POST /api/sheet/tasks: Статус_задачи of Оповещения_админу rows, read back from the sheet. */
export const sheetTaskStatesRequestSchema = z.object({
  tasks: z.array(z.object({ id: z.uuid(), state: procurementTaskStateSchema })).max(50_000),
  ack: z.array(z.number().int().positive()).max(10_000).default([]),
});
export type SheetTaskStatesRequest = z.input<typeof sheetTaskStatesRequestSchema>;
export const sheetTaskStatesResponseSchema = z.object({ updated: z.number().int(), acked: z.number().int() }).meta({ id: 'SheetTaskStatesResponse' });
