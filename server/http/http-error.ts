import type { z } from 'zod';

export interface FieldProblem {
  field: string;
  message: string;
}

/** An error the client caused or may act on; the error handler answers it as {error, details}. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: FieldProblem[],
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function zodProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({ field: issue.path.join('.') || '(body)', message: issue.message }));
}

/** Parses request input with a shared schema; bad input becomes a 400 naming each field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what = 'invalid request'): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new HttpError(400, what, zodProblems(parsed.error));
  return parsed.data;
}
