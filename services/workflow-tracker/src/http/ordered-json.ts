import type { Response } from 'express';

/**
 * An object whose keys must be written in the order given. JavaScript puts integer-like keys first in ascending
 * order whatever the insertion order, so `{ "1", "2.1", "2.2", "3" }` would serialise as `1, 3, 2.1, 2.2`: the
 * seed's tree lists stages in stage order, and so do we.
 */
export class OrderedObject {
  constructor(readonly entries: readonly (readonly [string, unknown])[]) {}
}

/** JSON.stringify, but an OrderedObject keeps its key order. Undefined members are left out, as JSON.stringify does. */
export function orderedJson(value: unknown): string {
  if (value instanceof OrderedObject) return members(value.entries);
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : orderedJson(item))).join(',')}]`;
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) return members(Object.entries(value));
  return JSON.stringify(value) ?? 'null';
}

function members(entries: readonly (readonly [string, unknown])[]): string {
  const written = entries.filter(([, member]) => member !== undefined).map(([key, member]) => `${JSON.stringify(key)}:${orderedJson(member)}`);
  return `{${written.join(',')}}`;
}

export const sendOrderedJson = (res: Response, body: unknown, status = 200): void => void res.status(status).type('application/json').send(orderedJson(body));
