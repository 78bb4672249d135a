/**
 * Deep links into the bot: https://t.me/<bot>?start=<payload>, the payload at most 64 characters
 * of A-Z a-z 0-9 _ - (https://core.telegram.org/bots/features#deep-linking).
 */
export function botDeepLink(botUsername: string | undefined, payload: string): string | null {
  if (!botUsername || !/^[A-Za-z0-9_-]{1,64}$/.test(payload)) return null;
  return `https://t.me/${encodeURIComponent(botUsername)}?start=${payload}`;
}

export const wantPayload = (recordNumber: number | string) => `want_${recordNumber}`;
export const buyPayload = (recordNumber: number | string) => `buy_${recordNumber}`;
/** Unverified interest kept without a record: the bot turns it into a verified request. */
export const pendingPayload = (pendingId: string) => `req_${pendingId.replace(/-/g, '')}`;
