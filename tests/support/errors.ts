import type { JsonResponse } from './api';

/**
 * Asserts CONTRACT §4's error shape: the status, the stable `error` code, a `message` for people, and any
 * details the contract names (`fields`, `reason`, …), matched loosely.
 */
export function expectError(response: JsonResponse<unknown>, status: number, code: string, details: Record<string, unknown> = {}): void {
  expect({ status: response.status, body: response.body }).toEqual({
    status,
    body: expect.objectContaining({ error: code, message: expect.any(String), ...details }),
  });
}

/** `validation_failed` with `fields: [{ path, message }]` naming `path` among them. */
export function expectValidationFailed(response: JsonResponse<unknown>, path: string): void {
  expectError(response, 400, 'validation_failed', {
    fields: expect.arrayContaining([{ path, message: expect.any(String) }]),
  });
}
