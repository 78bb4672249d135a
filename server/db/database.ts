/**
 * The one interface to the data: every read and write is a SQL function defined in
 * supabase/migrations, called by name with named arguments. Two transports implement it:
 * embedded PGlite and Supabase (PostgREST rpc). Both hand back the function's JSON as plain data.
 */
export interface DbTransport {
  readonly kind: 'pglite' | 'supabase';
  call(fn: string, args: Record<string, unknown>): Promise<unknown>;
  /** Tells when the engine can no longer answer at all (the embedded database after an internal failure). */
  onBroken?(listener: (error: Error) => void): void;
  /** A consistent gzipped tarball of the embedded database's directory (PGlite only). */
  backup?(): Promise<Blob>;
  close(): Promise<void>;
}

export interface Database {
  readonly kind: DbTransport['kind'];
  /** Calls a SQL function that only reads. */
  read<T>(fn: string, args?: Record<string, unknown>): Promise<T>;
  /** Calls a SQL function that writes; resolves after the write listeners have run. */
  write<T>(fn: string, args?: Record<string, unknown>): Promise<T>;
  /** Runs after every write, failed ones too (a failed call may have changed something first). */
  onWrite(listener: () => void | Promise<void>): () => void;
  /** The database cannot serve any more: the process should exit and be restarted. */
  onBroken(listener: (error: Error) => void): void;
  /** A consistent copy of the embedded database (server/backup); undefined on Supabase. */
  backup?: () => Promise<Blob>;
  close(): Promise<void>;
}

/** A failure reported by Postgres (SQLSTATE code) or by the transport ('unavailable'). */
export class DbError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint?: string,
    readonly details?: string,
  ) {
    super(message);
    this.name = 'DbError';
  }

  /** Bad input the caller can fix (invalid value, constraint, raise exception), not an outage. */
  get isClientError(): boolean {
    return /^(22|23|P0001)/.test(this.code);
  }
}

const identifier = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertIdentifier(name: string): string {
  if (!identifier.test(name)) throw new Error(`not a SQL identifier: ${name}`);
  return name;
}

export function createDatabase(transport: DbTransport): Database {
  const listeners = new Set<() => void | Promise<void>>();
  const call = (fn: string, args: Record<string, unknown> = {}) => transport.call(assertIdentifier(fn), args);
  return {
    kind: transport.kind,
    read: async <T>(fn: string, args?: Record<string, unknown>) => (await call(fn, args)) as T,
    async write<T>(fn: string, args?: Record<string, unknown>) {
      try {
        return (await call(fn, args)) as T;
      } finally {
        await Promise.allSettled([...listeners].map(async (listener) => listener()));
      }
    },
    onWrite(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onBroken(listener) {
      transport.onBroken?.(listener);
    },
    backup: transport.backup ? () => transport.backup!() : undefined,
    close: () => transport.close(),
  };
}
