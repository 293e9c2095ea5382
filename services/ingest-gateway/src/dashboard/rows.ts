/** The public API's JSON as the pages read it: they show fields, so they need no more than this. */
export type Row = Record<string, unknown>;
/** A paged list (`{data, next_cursor}`). */
export interface Page {
  data: Row[];
  next_cursor?: string | null;
}
export const text = (value: unknown) => (value === null || value === undefined ? '' : String(value));
