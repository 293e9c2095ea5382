import path from 'node:path';
import { Worker } from 'node:worker_threads';

// Prisma's schema engine compiled to WebAssembly (@prisma/schema-engine-wasm) computes migration SQL from two
// datamodels with no database and no download. It is an internal API: its version is pinned exactly. It ships as
// an ES module, so it runs in a worker thread (plain Node loads it there, also when the caller runs under jest).
const WORKER_FILE = path.resolve(__dirname, '..', 'worker', 'schema-diff.worker.mjs');

type WorkerReply = { ok: true; stdout: string } | { ok: false; message: string };

const EMPTY_MIGRATION = '-- This is an empty migration.';

// The first migration from an empty database starts with this block. Our tables live in the service's own schema
// (the runner creates it and sets search_path), so a statement about "public" is noise: drop it.
const CREATE_PUBLIC_SCHEMA = '-- CreateSchema\nCREATE SCHEMA IF NOT EXISTS "public";\n\n';

function runSchemaEngine(from: string | null, to: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_FILE, { workerData: { from, to } });
    let settled = false;
    worker.once('message', (reply: WorkerReply) => {
      settled = true;
      if (reply.ok) resolve(reply.stdout);
      else reject(new Error(`prisma schema engine: ${reply.message}`));
      void worker.terminate();
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`schema diff worker exited with code ${code} before answering`));
    });
  });
}

/**
 * The SQL that takes a Postgres database from datamodel `from` (null: an empty database) to datamodel `to`, as
 * `prisma migrate diff --script` writes it, with unqualified table names. Null when nothing differs.
 */
export async function diffDatamodels(from: string | null, to: string): Promise<string | null> {
  const sql = await runSchemaEngine(from, to);
  if (sql.trim() === '' || sql.trim() === EMPTY_MIGRATION) return null;
  return sql.startsWith(CREATE_PUBLIC_SCHEMA) ? sql.slice(CREATE_PUBLIC_SCHEMA.length) : sql;
}
