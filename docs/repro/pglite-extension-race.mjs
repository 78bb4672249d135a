// Minimal reproduction for PGlite upstream (@electric-sql/pglite 0.5.16 and 0.5.17, Node 20).
// Run it a few times with both cores busy:
//   node -e 'for(;;){}' & node -e 'for(;;){}' &
//   for i in 1 2 3 4 5 6; do node docs/repro/pglite-extension-race.mjs; done
// A bad run prints "BROKEN": the `%` query answers no rows (and no error), and the instance
// never answers again (often it spins at 100% CPU, ignoring SIGTERM).
// Pass --fix to load the libraries on demand instead (noWasmDecoding): never broken.
import { PGlite } from '@electric-sql/pglite';
import { fuzzystrmatch } from '@electric-sql/pglite/contrib/fuzzystrmatch';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';

const onDemand = { name: 'on-demand', setup: async (_pg, opts) => ({ emscriptenOpts: { ...opts, noWasmDecoding: true } }) };
const extensions = { pg_trgm, unaccent, fuzzystrmatch, pgcrypto, ...(process.argv.includes('--fix') ? { onDemand } : {}) };
const pg = await PGlite.create({ extensions });
await pg.exec('create extension pg_trgm; create extension unaccent; create extension fuzzystrmatch; create extension pgcrypto;');
const trgm = await pg.query(`select 'pink' % 'pinky' as match`);
console.log(trgm.rows.length === 1 ? 'ok' : 'BROKEN', JSON.stringify(trgm.rows));
process.exit(0);
