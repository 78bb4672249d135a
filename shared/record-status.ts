import { z } from 'zod';

/** Record statuses as stored in the database and used by the API. */
export const RecordStatus = {
  SearchRequest: 'search_request',
  Procurement: 'procurement',
  Available: 'available',
  Reserved: 'reserved',
  Sold: 'sold',
  Deleted: 'deleted',
} as const;
export type RecordStatus = (typeof RecordStatus)[keyof typeof RecordStatus];

/** The statuses a record can be given by the admin, in lifecycle order. */
export const activeStatuses = [
  RecordStatus.SearchRequest,
  RecordStatus.Procurement,
  RecordStatus.Available,
  RecordStatus.Reserved,
  RecordStatus.Sold,
] as const;
export type ActiveStatus = (typeof activeStatuses)[number];

export const activeStatusSchema = z.enum(activeStatuses);

/** The labels the admin sees in the sheet's status column (Справочник, column K). */
export const statusLabels: Record<ActiveStatus, string> = {
  search_request: '🟡 Search Request (trend)',
  procurement: '🟡 Procurement Task',
  available: '🟢 Available',
  reserved: '🟠 Reserved',
  sold: '🔴 Sold',
};

const statusByLabel = new Map<string, ActiveStatus>(
  activeStatuses.map((status) => [statusLabels[status], status]),
);

/** The status a sheet label stands for; also accepts the bare status name ("available"). */
export function statusFromLabel(label: string): ActiveStatus | undefined {
  const trimmed = label.trim();
  const byLabel = statusByLabel.get(trimmed);
  if (byLabel) return byLabel;
  const parsed = activeStatusSchema.safeParse(trimmed.toLowerCase());
  return parsed.success ? parsed.data : undefined;
}
