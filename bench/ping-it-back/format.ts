/** Number formats the report shares. */
export const int = (value: number): string => Math.round(value).toLocaleString('en-US');

/** Milliseconds, or seconds from 10 s on; "never" for a send that did not arrive, "—" for nothing measured. */
export const ms = (value: number): string => {
  if (Number.isNaN(value)) return '—';
  if (value === Infinity) return 'never';
  return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${value.toFixed(1)} ms`;
};

export const mb = (bytes: number | undefined): string => (bytes === undefined ? 'gone' : `${(bytes / 2 ** 20).toFixed(0)} MB`);
