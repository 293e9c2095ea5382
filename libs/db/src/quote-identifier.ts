/** Quotes a Postgres identifier (schema or database name) for use in DDL, which takes no parameters. */
export function quoteIdentifier(name: string): string {
  if (name.length === 0 || name.length > 63) throw new Error(`invalid Postgres identifier: "${name}"`);
  return `"${name.replaceAll('"', '""')}"`;
}
