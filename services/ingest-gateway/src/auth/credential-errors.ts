import { AppError } from '@pingback/http';

/** RFC 6750's challenge: plain when nothing was sent, with the reason when something was. */
const challenge = (error?: 'invalid_request' | 'invalid_token') => ({
  'WWW-Authenticate': error ? `Bearer realm="pingback", error="${error}"` : 'Bearer realm="pingback"',
});

/** Each says which of the three went wrong; all are `401 unauthorized` with `WWW-Authenticate`. */
export const missingCredential = (message: string) => new AppError('unauthorized', message, {}, challenge());
export const malformedCredential = (message: string) => new AppError('unauthorized', message, {}, challenge('invalid_request'));
export const unknownCredential = (message: string) => new AppError('unauthorized', message, {}, challenge('invalid_token'));
