import fs from 'node:fs';
import path from 'node:path';
import { diffDatamodels, withClient } from '@pingback/db';

const README = path.join(__dirname, '..', '..', 'README.md');

/** The models libs/durable/README.md tells services to copy, by model name: the one source of the tables. */
export function readmeModels(): Record<'OutboxMessage' | 'Deadline', string> {
  const blocks = [...fs.readFileSync(README, 'utf8').matchAll(/```prisma\n([\s\S]*?)```/g)].map((match) => match[1]!);
  const named = (name: string): string => {
    const block = blocks.find((text) => text.includes(`model ${name} {`));
    if (!block) throw new Error(`libs/durable/README.md has no prisma block with model ${name}`);
    return block.trim();
  };
  return { OutboxMessage: named('OutboxMessage'), Deadline: named('Deadline') };
}

/** The text of `model <name> { … }` in a schema.prisma, with its doc comment, or undefined. */
export function modelIn(schemaText: string, name: string): string | undefined {
  const match = new RegExp(`((?:^///.*\\n)*)^model ${name} \\{\\n[\\s\\S]*?^\\}`, 'm').exec(schemaText);
  return match?.[0].trim();
}

/**
 * Creates `schema` in the database with the README's tables (and `extraModels`), through the same SQL that
 * `make-migration` would write for a service that copied them.
 */
export async function createDurableTables(databaseUrl: string, schema: string, extraModels = ''): Promise<void> {
  const models = readmeModels();
  const datamodel = ['datasource db {\n  provider = "postgresql"\n}', models.OutboxMessage, models.Deadline, extraModels].join('\n\n');
  const sql = await diffDatamodels(null, datamodel);
  if (sql === null) throw new Error('the durable models produced no SQL');
  await withClient(databaseUrl, async (client) => {
    await client.query(`CREATE SCHEMA "${schema}"`);
    await client.query(`SET search_path TO "${schema}"`);
    await client.query(sql);
  });
}
