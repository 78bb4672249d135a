/**
 * How the add-on signs every request to the server: HMAC-SHA256 with the shared secret
 * (SHEET_SECRET) over "<METHOD> <path>\n<timestamp>.<nonce>.<body>", sent as hex in
 * X-Sheet-Signature with X-Sheet-Timestamp (unix ms) and X-Sheet-Nonce. The method and path
 * are signed so a request signed for one endpoint (a pull) cannot be replayed at another (an
 * ack); the path is the API path the add-on asked for (`/api/sheet/pull`, query included),
 * not the server URL's prefix, so a reverse proxy that strips a prefix changes nothing. The
 * server refuses a bad signature, a timestamp more than five minutes off, and a nonce it has
 * seen (a replay).
 */
export const signatureHeaders = {
  timestamp: 'x-sheet-timestamp',
  nonce: 'x-sheet-nonce',
  signature: 'x-sheet-signature',
} as const;

export const maxClockSkewMs = 5 * 60 * 1000;

/** What is signed: the request line as the server routes it, then time, nonce and body. */
export function signedPayload(request: { method: string; path: string }, timestamp: string, nonce: string, body: string): string {
  return `${request.method.toUpperCase()} ${request.path}\n${timestamp}.${nonce}.${body}`;
}

/** Apps Script's HMAC returns signed bytes (-128..127); both runtimes send lowercase hex. */
export function bytesToHex(bytes: ArrayLike<number>): string {
  let hex = '';
  for (let i = 0; i < bytes.length; i++) hex += ((bytes[i]! + 256) % 256).toString(16).padStart(2, '0');
  return hex;
}
