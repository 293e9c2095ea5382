import { z } from 'zod';

/** Building blocks of the OpenAPI document's paths. */

export const body = (schema: z.ZodType) => ({ required: true, content: { 'application/json': { schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) } } });
export const ok = (schema: z.ZodType, description = 'OK') => ({ description, content: { 'application/json': { schema: z.toJSONSchema(schema, { unrepresentable: 'any' }) } } });
export const error = (description: string) => ({ description });
export const path = (name: string, description?: string) => ({ name, in: 'path', required: true, schema: { type: 'string' }, ...(description ? { description } : {}) });
export const query = (name: string, description: string) => ({ name, in: 'query', required: false, schema: { type: 'string' }, description });
export const list = [query('limit', '1 to 100, default 50'), query('cursor', "the previous page's next_cursor")];
/** Every management route: Bearer API key, 401 with a message saying what was wrong, 404 for someone else's object. */
export const managed = { security: [{ apiKey: [] }] };
export const deleted = (what: string) => ({ 204: error(`${what} deleted`), 401: error('unauthorized'), 404: error('not_found') });

