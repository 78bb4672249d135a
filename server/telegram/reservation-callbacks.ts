/**
 * callback_data of the reservation buttons (at most 64 bytes: https://core.telegram.org/bots/api#inlinekeyboardbutton).
 * One prefix, so other features' buttons pass through untouched.
 */
const uuid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const pattern = new RegExp(`^resv:(?:(ok|want):(\\d{1,9})|(cx|ax):(${uuid}))$`);

export type ReservationAction =
  | { kind: 'confirm' | 'join'; key: string }
  | { kind: 'customer_cancel' | 'admin_cancel'; key: string };

export const reservationCallbacks = {
  confirm: (recordNumber: number) => `resv:ok:${recordNumber}`,
  join: (recordNumber: number) => `resv:want:${recordNumber}`,
  customerCancel: (reservationId: string) => `resv:cx:${reservationId}`,
  adminCancel: (reservationId: string) => `resv:ax:${reservationId}`,

  parse(data: string | undefined): ReservationAction | null {
    const m = data ? pattern.exec(data) : null;
    if (!m) return null;
    if (m[1]) return { kind: m[1] === 'ok' ? 'confirm' : 'join', key: m[2]! };
    return { kind: m[3] === 'cx' ? 'customer_cancel' : 'admin_cancel', key: m[4]! };
  },
};
