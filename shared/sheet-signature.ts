/**
 * How the add-on signs every request to the server: HMAC-SHA256 with the shared secret
 * (SHEET_SECRET) over "<timestamp>.<nonce>.<body>", sent as hex in X-Sheet-Signature with
 * X-Sheet-Timestamp (unix ms) and X-Sheet-Nonce. The server refuses a bad signature, a
 * timestamp more than five minutes off, and a nonce it has seen (a replay).
 */
export const signatureHeaders = {
  timestamp: 'x-sheet-timestamp',
  nonce: 'x-sheet-nonce',
  signature: 'x-sheet-signature',
} as const;

export const maxClockSkewMs = 5 * 60 * 1000;

export function signedPayload(timestamp: string, nonce: string, body: string): string {
  return `${timestamp}.${nonce}.${body}`;
}

/** Apps Script's HMAC returns signed bytes (-128..127); both runtimes send lowercase hex. */
export function bytesToHex(bytes: ArrayLike<number>): string {
  let hex = '';
  for (let i = 0; i < bytes.length; i++) hex += ((bytes[i]! + 256) % 256).toString(16).padStart(2, '0');
  return hex;
}
