import { z } from 'zod';

/** A whole number in a query string, `min` to `max`, or `fallback` when absent: digits only (Number() would read `1e2`, `0x10`, ` 5`). */
export const wholeNumberQuery = (min: number, max: number, fallback: number, unit = 'a whole number') => {
  const message = `${unit}, ${min} to ${max}`;
  return z
    .string()
    .regex(new RegExp(`^\\d{1,${String(max).length}}$`), message)
    .transform(Number)
    .pipe(z.number().min(min, message).max(max, message))
    .default(fallback);
};
