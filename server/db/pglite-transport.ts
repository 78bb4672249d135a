import { PGlite } from '@electric-sql/pglite';
import { fuzzystrmatch } from '@electric-sql/pglite/contrib/fuzzystrmatch';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { assertIdentifier, DbError, type DbTransport } from './database.ts';

const extensions = { pg_trgm, unaccent, fuzzystrmatch, pgcrypto };

/** Opens embedded Postgres: a directory, memory (undefined), or a copy of a dumped template. */
export async function openPglite(source?: { dataDir: string } | { template: Blob }): Promise<PGlite> {
  if (source && 'template' in source) return PGlite.create({ extensions, loadDataDir: source.template });
  return PGlite.create(source?.dataDir, { extensions });
}

export function createPgliteTransport(pg: PGlite): DbTransport {
  return {
    kind: 'pglite',
    async call(fn, args) {
      const names = Object.keys(args).map(assertIdentifier);
      const params = names.map((name, i) => `${name} => $${i + 1}`).join(', ');
      try {
        const result = await pg.query<{ result: unknown }>(
          `select public.${fn}(${params}) as result`,
          names.map((name) => args[name] ?? null),
        );
        return result.rows[0]?.result ?? null;
      } catch (error) {
        throw toDbError(error);
      }
    },
    close: () => pg.close(),
  };
}

function toDbError(error: unknown): Error {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') {
    const e = error as { code: string; message: string; hint?: string; detail?: string };
    return new DbError(e.code, e.message, e.hint, e.detail);
  }
  return error instanceof Error ? error : new Error(String(error));
}
