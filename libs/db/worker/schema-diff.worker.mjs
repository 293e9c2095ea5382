// Runs Prisma's schema engine (WebAssembly) in a worker thread: the engine ships as an ES module, which plain
// Node loads but jest's module registry does not, so libs/db/src/schema-diff.ts starts this file as a worker.
// workerData: { from: string | null, to: string }   message back: { ok: true, stdout } or { ok: false, message }
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import * as bindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';

const wasmFile = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg').replace(/\.js$/, '.wasm');

const offline = (sql) => Promise.reject(new Error(`schema diff runs without a database; the engine asked for: ${sql}`));

// A driver adapter with no database behind it: it answers only the engine's start-up probe.
const offlineAdapter = () => ({
  provider: 'postgres',
  adapterName: 'pingback-offline',
  queryRaw: async ({ sql }) => {
    if (!sql.includes('pg_namespace')) return offline(sql);
    return { columnNames: ['exists', 'version', 'numeric_version'], columnTypes: [5, 7, 0], rows: [[true, 'PostgreSQL 15', 150000]] };
  },
  executeRaw: ({ sql }) => offline(sql),
  executeScript: (sql) => offline(sql),
  startTransaction: () => offline('BEGIN'),
  dispose: async () => undefined,
});

async function diff({ from, to }) {
  const { instance } = await WebAssembly.instantiate(await readFile(wasmFile), { './schema_engine_bg.js': bindings });
  bindings.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  const adapterFactory = bindMigrationAwareSqlAdapterFactory({
    provider: 'postgres',
    adapterName: 'pingback-offline',
    connect: async () => offlineAdapter(),
    connectToShadowDb: async () => offlineAdapter(),
  });
  const engine = await bindings.SchemaEngine.new({ datamodels: [['schema.prisma', to]] }, () => undefined, adapterFactory);
  try {
    const result = await engine.diff({
      from: from === null ? { tag: 'empty' } : { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: from }] },
      to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: to }] },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    return result.stdout ?? '';
  } finally {
    engine.free();
  }
}

diff(workerData).then(
  (stdout) => parentPort.postMessage({ ok: true, stdout }),
  (error) => parentPort.postMessage({ ok: false, message: error instanceof Error ? error.message : JSON.stringify(error) }),
);
