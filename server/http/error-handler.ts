import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { ApiErrorBody } from '../../shared/catalog-contract.ts';
import { DbError } from '../db/database.ts';
import { databaseErrorProblem } from './database-error-problem.ts';
import { HttpError } from './http-error.ts';

export const notFoundHandler: RequestHandler = (req, res, next) => {
  // A catch-all route (the website's) may have looked at the request and passed it on: for the
  // metrics it matched no route (server/metrics/create-metrics.ts).
  res.locals.unmatched = true;
  next(new HttpError(404, `no route ${req.method} ${req.path}`));
};

/** The one place errors become responses: 4xx say what and which field, 5xx say nothing inside. */
export function createErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const body = (status: number, payload: ApiErrorBody) => {
      if (!res.headersSent) res.status(status).json(payload);
    };
    if (error instanceof HttpError) return body(error.status, { error: error.message, details: error.details });
    if (error instanceof DbError && error.isClientError) {
      // The database's own words stay in the log; the client gets the field and a reason.
      logger.info({ code: error.code, db_message: error.message, method: req.method, path: req.path }, 'database refused the input');
      return body(400, { error: 'invalid request', details: [databaseErrorProblem(error)] });
    }
    // body-parser's errors carry their own status (malformed JSON, too large, bad charset).
    const status = (error as { status?: number }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return body(status, { error: (error as Error).message, details: [{ field: '(body)', message: (error as Error).message }] });
    }
    logger.error({ err: error, method: req.method, path: req.path }, 'request failed');
    body(500, { error: 'internal error' });
  };
}
