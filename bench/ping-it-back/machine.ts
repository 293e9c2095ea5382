import os from 'node:os';
import { Client } from 'pg';
import { managementGet } from './management-api';

export interface MachineDescription {
  cpus: string;
  memory: string;
  node: string;
  os: string;
  postgres: string;
  rabbitmq: string;
}

async function postgresSettings(databaseUrl: string): Promise<string> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string; setting: string }>(
      `SELECT name, setting FROM pg_settings WHERE name IN ('server_version', 'fsync', 'synchronous_commit', 'full_page_writes', 'wal_sync_method') ORDER BY name`,
    );
    const settings = new Map(rows.map((row) => [row.name, row.setting]));
    const version = settings.get('server_version') ?? '?';
    settings.delete('server_version');
    return `${version} (${[...settings].map(([name, value]) => `${name}=${value}`).join(', ')})`;
  } finally {
    await client.end();
  }
}

async function rabbitVersion(managementUrl: string): Promise<string> {
  const overview = await managementGet<{ rabbitmq_version?: string; erlang_version?: string }>(
    managementUrl,
    '/overview?columns=rabbitmq_version,erlang_version',
  );
  return `${overview.rabbitmq_version ?? '?'} (Erlang ${overview.erlang_version ?? '?'})`;
}

/** What the figures were measured on: they mean little without it. */
export async function describeMachine(databaseUrl: string, managementUrl: string): Promise<MachineDescription> {
  const cpus = os.cpus();
  return {
    cpus: `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown'}`,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    postgres: await postgresSettings(databaseUrl),
    rabbitmq: await rabbitVersion(managementUrl),
  };
}
