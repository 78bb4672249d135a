import { createHmac, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { maxClockSkewMs, signatureHeaders, signedPayload } from '../../shared/sheet-signature.ts';
import type { Database } from '../db/database.ts';
import { HttpError } from '../http/http-error.ts';
import { rawBodyOf } from '../http/raw-body.ts';

/** Verifies the add-on's HMAC signature (shared/sheet-signature.ts); anything else gets 401. */
export function requireSheetSignature(deps: { secret: string | null; db: Database; now?: () => number }): RequestHandler {
  const now = deps.now ?? Date.now;
  return async (req, _res, next) => {
    if (!deps.secret) return next(new HttpError(503, 'sheet sync is off: set SHEET_SECRET'));
    const timestamp = req.header(signatureHeaders.timestamp) ?? '';
    const nonce = req.header(signatureHeaders.nonce) ?? '';
    const signature = req.header(signatureHeaders.signature) ?? '';
    const refuse = (field: string, message: string) => next(new HttpError(401, 'request not signed by the sheet', [{ field, message }]));
    if (!/^\d{10,16}$/.test(timestamp)) return refuse(signatureHeaders.timestamp, 'missing or not unix milliseconds');
    if (Math.abs(now() - Number(timestamp)) > maxClockSkewMs) return refuse(signatureHeaders.timestamp, 'more than 5 minutes off');
    if (!/^[\w-]{16,64}$/.test(nonce)) return refuse(signatureHeaders.nonce, 'missing or malformed');
    const body = rawBodyOf(req);
    // originalUrl: the path as the client sent it, whichever router this check is mounted in.
    const signed = signedPayload({ method: req.method, path: req.originalUrl }, timestamp, nonce, body);
    const expected = createHmac('sha256', deps.secret).update(signed).digest();
    const given = Buffer.from(/^[0-9a-f]{64}$/.test(signature) ? signature : '', 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return refuse(signatureHeaders.signature, 'does not match');
    // Claimed only after the signature holds, so forged requests cannot fill the nonce table.
    // read(), not write(): a nonce changes nothing the response cache holds.
    if (!(await deps.db.read<boolean>('sheet_nonce_claim', { p_nonce: nonce }))) return refuse(signatureHeaders.nonce, 'already used (replay)');
    next();
  };
}
