import type { Request } from 'express';

/** The raw bytes of a JSON body, kept for signature checks (the sheet signs what it sent). */
export type RequestWithRawBody = Request & { rawBody?: Buffer };

/** express.json's `verify` hook that keeps the bytes on the request for rawBodyOf(). */
export function keepRawBody(req: unknown, _res: unknown, buf: Buffer): void {
  (req as RequestWithRawBody).rawBody = buf;
}

/** The body exactly as received ('' when there was none). */
export function rawBodyOf(req: Request): string {
  return (req as RequestWithRawBody).rawBody?.toString('utf8') ?? '';
}
