import { z } from 'zod';

/** Building blocks of the OpenAPI document's paths. */

const inputSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
const outputSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { unrepresentable: 'any' });

export const body = (schema: z.ZodType) => ({ required: true, content: { 'application/json': { schema: inputSchema(schema) } } });
/** A JSON body a request may leave out (a ping's GET has none; a POST without one is `{}`). */
export const optionalBody = (schema: z.ZodType) => ({ ...body(schema), required: false });
/** A JSON body, or the same fields as an HTML form posts them (the pages' forms). */
export const bodyOrForm = (schema: z.ZodType) => ({
  required: true,
  content: { 'application/json': { schema: inputSchema(schema) }, 'application/x-www-form-urlencoded': { schema: inputSchema(schema) } },
});
export const ok = (schema: z.ZodType, description = 'OK') => ({ description, content: { 'application/json': { schema: outputSchema(schema) } } });
/** An HTML page. */
export const page = (description = 'the page (HTML)') => ({ description, content: { 'text/html': { schema: { type: 'string' } } } });
/** JSON to a JSON caller, a page to a browser's form. */
export const okOrPage = (schema: z.ZodType, description = 'OK') => ({ description, content: { ...ok(schema).content, ...page().content } });
export const error = (description: string) => ({ description });
export const path = (name: string, description?: string) => ({ name, in: 'path', required: true, schema: { type: 'string' }, ...(description ? { description } : {}) });
/** An express route path (`/api/channels/:id`) as OpenAPI writes it (`/api/channels/{id}`), and its path parameters. */
export const toOpenApiPath = (route: string) => route.replace(/:(\w+)/g, '{$1}');
export const pathParameters = (route: string) => [...route.matchAll(/:(\w+)/g)].map((match) => path(match[1]!));
export const query = (name: string, description: string) => ({ name, in: 'query', required: false, schema: { type: 'string' }, description });
export const header = (name: string, description: string) => ({ name, in: 'header', required: false, schema: { type: 'string' }, description });
export const list = [query('limit', '1 to 100, default 50'), query('cursor', "the previous page's next_cursor")];
/** Every management route: Bearer API key, 401 with a message saying what was wrong, 404 for someone else's object. */
export const managed = { security: [{ apiKey: [] }] };
export const deleted = (what: string) => ({ 204: error(`${what} deleted`), 401: error('unauthorized'), 404: error('not_found') });
