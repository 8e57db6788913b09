// Opening the libSQL database: the client for its URL (the native engine for files, the
// fetch/WebSocket client for a server), the pragmas for files (busy time-out, incremental vacuum,
// WAL, synchronous=FULL), the migrations, and the writer threads (a file's writes and trail; the
// trail alone for memory and remote databases).
import type { Client, Config as ClientConfig } from '@libsql/client';
import type { LibSQLDatabase } from 'drizzle-orm/libsql/driver-core';
// The /web entry wraps a client we build; unlike 'drizzle-orm/libsql' it never loads the native engine.
import { drizzle } from 'drizzle-orm/libsql/web';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TRAIL_KINDS } from '../../../domain/records/trail.ts';
import type { StoreMaintenance } from '../../../ports/event-store.ts';
import { enableIncrementalVacuum } from './maintenance.ts';
import { migrateConcurrently } from './migrate.ts';
import { startWriterThread, type TrailSpec, type WriterThread } from './writer.ts';

/**
 * The generated migrations (drizzle/). Empty in a Workers bundle, whose modules have no file URL:
 * an isolate never migrates (`npm run db:migrate` does, before a deploy).
 */
export const MIGRATIONS_DIR = URL.canParse('../../../../drizzle', import.meta.url)
  ? fileURLToPath(new URL('../../../../drizzle', import.meta.url))
  : '';

/** The decision trail's JSONL file and its rotation. */
export interface TrailOptions {
  path: string;
  /** Rotate before an append would take the file past this many bytes; 0 = never (default). */
  maxBytes?: number;
  /** Rotated files kept (path.1 newest … path.<keep> oldest); default 10. */
  keep?: number;
  /** fdatasync the file this often when lines were written (ms); default 1,000. */
  syncEveryMs?: number;
}

/**
 * Local files need the native engine; remote URLs get the fetch/WebSocket client, which is all
 * an edge host (no native addons) can load. Each is imported only when used.
 */
async function openClient(config: ClientConfig, local: boolean): Promise<Client> {
  const { createClient } = local
    ? await import('@libsql/client')
    : await import('@libsql/client/web');
  return createClient(config);
}

function trailSpec(t: TrailOptions): TrailSpec {
  return {
    path: t.path,
    maxBytes: t.maxBytes ?? 0,
    keep: t.keep ?? 10,
    syncEveryMs: t.syncEveryMs ?? 1_000,
    kinds: TRAIL_KINDS as Record<string, string | null>,
  };
}

interface OpenOptions {
  /** A libSQL URL, or `:memory:` for an in-memory database. */
  url: string;
  authToken?: string;
  trail?: TrailOptions;
  /** Apply the migrations (safe beside other processes: migrate.ts); an edge isolate has no disk to read them from. */
  migrate: boolean;
  /** The fetch a remote client uses (one with a deadline: remote-calls.ts). */
  fetch?: typeof fetch;
  /** Told when rows were committed but their trail lines could not be written. */
  onTrailFailure: (e: Error) => void;
}

/** Opens the database, migrated unless told not to, with its writer threads. */
export async function openDatabase(o: OpenOptions) {
  const url = o.url === ':memory:' ? 'file::memory:' : o.url;
  const isFile = url.startsWith('file:') && !url.includes(':memory:');
  if (isFile) mkdirSync(dirname(url.slice('file:'.length)), { recursive: true });
  const local = url.startsWith('file:');
  const client = await openClient(
    { url, authToken: o.authToken, ...(!local && o.fetch && { fetch: o.fetch }) },
    local,
  );
  if (isFile) await client.execute('PRAGMA busy_timeout=5000');
  // Before migrations: auto_vacuum is fixed once the first table exists.
  const vacuumAtOpen: StoreMaintenance['vacuumAtOpen'] = isFile
    ? await enableIncrementalVacuum(client)
    : 'not_applicable';
  if (isFile) {
    // WAL lets readers run beside the writer; FULL makes each commit durable against power loss.
    await client.execute('PRAGMA journal_mode=WAL');
    await client.execute('PRAGMA synchronous=FULL');
  }
  const db: LibSQLDatabase = drizzle(client);
  if (o.migrate) await migrateConcurrently(db, { migrationsFolder: MIGRATIONS_DIR });
  // Files: writes go to a writer thread so that commits (fsync) never block the event loop; the
  // same thread appends the trail lines of what it committed. Memory and remote databases: writes
  // through the client (a remote write is async I/O already), and a thread for the trail alone.
  const spec = o.trail && trailSpec(o.trail);
  const writer = isFile
    ? await startWriterThread(url.slice('file:'.length), spec, o.onTrailFailure)
    : undefined;
  const trailThread: WriterThread | undefined = writer
    ? undefined
    : spec && (await startWriterThread(undefined, spec, o.onTrailFailure));
  return { url, isFile, client, db, vacuumAtOpen, spec, writer, trailThread };
}
