import type { DbError } from '../db/database.ts';
import type { FieldProblem } from './http-error.ts';

/**
 * What a client is told when the database refused its input. Postgres's own text ("invalid input
 * syntax for type json", "duplicate key value violates unique constraint …") names internals and
 * says nothing a client can act on, so it never leaves the server: the SQLSTATE picks a reason in
 * words. Our own SQL functions raise with `hint = '<field>'` and a message written for the
 * client (supabase/migrations: "year: expected a number from 1900 to …"); those pass as they are.
 * https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
export function databaseErrorProblem(error: DbError): FieldProblem {
  if (error.hint && ownField.test(error.hint)) return { field: error.hint, message: error.message };
  return { field: keyColumn(error.details) ?? '(body)', message: reasons[error.code] ?? classReasons[error.code.slice(0, 2)] ?? 'could not be stored' };
}

/** A hint our functions set is a field name; Postgres's own hints are sentences. */
const ownField = /^[a-z_][a-z0-9_.]{0,62}$/;

const reasons: Record<string, string> = {
  '22P02': 'is not in the expected form',
  '22P05': 'contains a character that cannot be stored (such as \\u0000)',
  '22021': 'contains a character that cannot be stored (such as \\u0000)',
  '22001': 'is too long',
  '22003': 'is out of range',
  '22007': 'is not a valid date or time',
  '22008': 'is not a valid date or time',
  '22004': 'is required',
  '22023': 'has a value that is not allowed',
  '23502': 'is required',
  '23503': 'refers to something that does not exist',
  '23505': 'already exists',
  '23514': 'has a value that is not allowed',
  '23P01': 'conflicts with an existing entry',
};
const classReasons: Record<string, string> = { '22': 'is not a valid value', '23': 'conflicts with the data already stored' };

/** "Key (slug)=(abc) already exists." names the column of a unique or foreign key violation. */
function keyColumn(details: string | undefined): string | null {
  const column = details && /^Key \(([a-z_][a-z0-9_]*)\)=/.exec(details)?.[1];
  return column ?? null;
}
