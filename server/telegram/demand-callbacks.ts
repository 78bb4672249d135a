/** callback_data of the "join this request" button (≤ 64 bytes: two record numbers). */
export const demandCallbacks = {
  join: (recordNumber: number, requestNumber: number) => `dmj:${recordNumber}:${requestNumber}`,
  parse(data: string | undefined) {
    const m = data ? /^dmj:(\d{1,9}):(\d{1,9})$/.exec(data) : null;
    return m ? { record: m[1]!, request: m[2]! } : null;
  },
};
