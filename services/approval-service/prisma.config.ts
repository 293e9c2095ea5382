import path from 'node:path';
import { defineConfig } from 'prisma/config';

// The CLI cannot download its engines offline; generate only needs this path to exist (see libs/db).
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(__dirname, '../../libs/db/bin/schema-engine-unavailable');

export default defineConfig({
  schema: path.join(__dirname, 'prisma/schema.prisma'),
  migrations: { path: path.join(__dirname, 'prisma/migrations') },
  datasource: { url: process.env.DATABASE_URL ?? '' },
});
