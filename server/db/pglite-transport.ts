import { PGlite, type Extension } from '@electric-sql/pglite';
import { fuzzystrmatch } from '@electric-sql/pglite/contrib/fuzzystrmatch';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { assertIdentifier, DbError, type DbTransport } from './database.ts';

/**
 * PGlite unpacks each extension's `.so` at start-up and hands it to emscripten's preload plugin,
 * which instantiates all of them concurrently in the background. Two side modules finishing
 * together break emscripten's symbol table (reportUndefinedSymbols fails for the other module's
 * half-registered symbols); the failed copy stays registered, PostgreSQL later loads a second
 * copy and runs _PG_init only there, and pg_trgm's calls reach the copy whose CMPTRGM pointer is
 * null: a wasm trap that PGlite's main loop swallows, leaving the backend broken. Whether the
 * compilations overlap depends on CPU load. With `noWasmDecoding` there is no preload: each
 * library is loaded synchronously, once, when PostgreSQL first needs it.
 * Details and a reproduction: docs/pglite-extension-race.md.
 */
const loadLibrariesOnDemand: Extension = {
  name: 'load-libraries-on-demand',
  setup: async (_pg, emscriptenOpts) => ({ emscriptenOpts: { ...emscriptenOpts, noWasmDecoding: true } }),
};

const extensions = { pg_trgm, unaccent, fuzzystrmatch, pgcrypto, loadLibrariesOnDemand };

/** Opens embedded Postgres: a directory, memory (undefined), or a copy of a dumped template. */
export async function openPglite(source?: { dataDir: string } | { template: Blob; dataDir?: string }): Promise<PGlite> {
  if (source && 'template' in source) return PGlite.create({ extensions, loadDataDir: source.template, dataDir: source.dataDir });
  return PGlite.create(source?.dataDir, { extensions });
}

/**
 * Every call is `select fn(...)`, which yields exactly one row. PGlite swallows a wasm trap and
 * answers with no rows, and the instance is unusable from then on: so a missing row is an error,
 * and after any failure that is not the caller's fault a probe decides whether the instance is
 * broken; a broken instance refuses every later call and tells its listeners (main.ts exits, so
 * the process supervisor starts a fresh one).
 */
export function createPgliteTransport(pg: PGlite): DbTransport {
  let broken: DbError | null = null;
  const brokenListeners = new Set<(error: Error) => void>();

  const answers = async () => {
    try {
      return (await pg.query<{ ok: number }>('select 1 as ok')).rows[0]?.ok === 1;
    } catch {
      return false;
    }
  };
  const checkAlive = async (cause: Error) => {
    if (broken || (await answers())) return;
    broken = new DbError('database_broken', `the embedded database stopped answering after: ${cause.message}`);
    for (const listener of brokenListeners) listener(broken);
  };

  return {
    kind: 'pglite',
    async call(fn, args) {
      if (broken) throw broken;
      const names = Object.keys(args).map(assertIdentifier);
      const params = names.map((name, i) => `${name} => $${i + 1}`).join(', ');
      let rows: Array<{ result: unknown }>;
      try {
        ({ rows } = await pg.query<{ result: unknown }>(`select public.${fn}(${params}) as result`, names.map((name) => args[name] ?? null)));
      } catch (error) {
        const failure = toDbError(error);
        if (!(failure instanceof DbError && failure.isClientError)) await checkAlive(failure);
        throw broken ?? failure;
      }
      if (rows.length !== 1) {
        const failure = new DbError('no_result', `${fn}() returned ${rows.length} rows instead of one`);
        await checkAlive(failure);
        throw broken ?? failure;
      }
      return rows[0]!.result;
    },
    onBroken(listener) {
      brokenListeners.add(listener);
    },
    // Waits for the query in hand (PGlite runs it exclusively with queries), so the copy is consistent.
    backup: () => pg.dumpDataDir('gzip'),
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
