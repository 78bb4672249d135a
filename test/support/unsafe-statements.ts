/**
 * A static stand-in for pg-safeupdate (https://github.com/eradman/pg-safeupdate), which Supabase
 * loads for API sessions and Debian does not package: it refuses UPDATE and DELETE without a WHERE
 * clause (SQLSTATE 21000), also inside functions. Finds such statements in a function body.
 */

export interface UnsafeStatement {
  kind: 'update' | 'delete';
  /** The statement as written, shortened, for the failure message. */
  text: string;
}

/**
 * Code with comments removed and quoted strings blanked, keeping offsets. Dollar-quoted strings
 * stay: in these bodies they hold the SQL that EXECUTE runs (format($q$ ... $q$)).
 */
export function maskSql(source: string): string {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const rest = source.slice(i);
    if (rest.startsWith('--')) {
      const end = source.indexOf('\n', i);
      const stop = end === -1 ? source.length : end;
      out += ' '.repeat(stop - i);
      i = stop;
    } else if (rest.startsWith('/*')) {
      const end = source.indexOf('*/', i + 2);
      const stop = end === -1 ? source.length : end + 2;
      out += source.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (source[i] === "'") {
      // '' inside a string is an escaped quote; E'..\'..' escapes with a backslash.
      const escapes = /[eE]$/.test(source.slice(0, i)) && !/\w[eE]$/.test(source.slice(0, i));
      let j = i + 1;
      while (j < source.length) {
        if (escapes && source[j] === '\\') j += 2;
        else if (source[j] === "'" && source[j + 1] === "'") j += 2;
        else if (source[j] === "'") break;
        else j++;
      }
      const stop = Math.min(j + 1, source.length);
      out += `'${' '.repeat(Math.max(stop - i - 2, 0))}'`.slice(0, stop - i);
      i = stop;
    } else {
      const dollar = /^\$[A-Za-z_]*\$/.exec(rest);
      if (dollar) {
        out += ' '.repeat(dollar[0].length);
        i += dollar[0].length;
      } else {
        out += source[i];
        i++;
      }
    }
  }
  return out;
}

// A keyword before UPDATE/DELETE that makes it something else: a row lock (for [no key] update),
// an upsert (on conflict do update, where WHERE is optional and safeupdate does not look),
// a privilege (grant select, update), a trigger event or a foreign key action.
const notAStatement = new Set(['for', 'key', 'do', 'on', 'or', 'of', 'before', 'after', 'instead', 'grant', 'revoke']);

/** Every UPDATE or DELETE in `source` (SQL or PL/pgSQL) whose own statement has no WHERE. */
export function findUnsafeStatements(source: string): UnsafeStatement[] {
  const code = maskSql(source).toLowerCase();
  const found: UnsafeStatement[] = [];
  for (const match of code.matchAll(/\b(update|delete)\b/g)) {
    const start = match.index;
    const before = code.slice(0, start).trimEnd();
    if (before.endsWith(',')) continue; // a privilege list: grant select, insert, update, delete
    const previousWord = /([a-z_]+)$/.exec(before)?.[1];
    if (previousWord && notAStatement.has(previousWord)) continue;
    // The statement ends at a semicolon, at the parenthesis that closes its CTE or EXECUTE
    // argument, or at LOOP (for x in update ... returning ... loop).
    let depth = 0;
    let end = code.length;
    let hasWhere = false;
    const body = /\b(where|loop)\b|[();]/g;
    body.lastIndex = start;
    for (let token = body.exec(code); token; token = body.exec(code)) {
      const t = token[0];
      if (t === '(') depth++;
      else if (t === ')') {
        if (depth === 0) {
          end = token.index;
          break;
        }
        depth--;
      } else if (depth > 0) continue;
      else if (t === ';' || t === 'loop') {
        end = token.index;
        break;
      } else if (t === 'where') hasWhere = true;
    }
    if (!hasWhere) {
      const text = source.slice(start, end).replace(/\s+/g, ' ').trim();
      found.push({ kind: match[1] as 'update' | 'delete', text: text.length > 120 ? `${text.slice(0, 117)}...` : text });
    }
  }
  return found;
}
