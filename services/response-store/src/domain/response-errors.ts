import { AppError } from '@pingback/http';

export const linkNotFound = () => new AppError('not_found', 'this link is not valid');
export const linkExpired = () => new AppError('link_expired', 'this link has expired');
export const alreadyResponded = () => new AppError('already_responded', 'this message has already been answered');
export const invalidAnswer = (path: string, message: string) =>
  new AppError('validation_failed', 'the answer does not fit the message', { fields: [{ path, message }] });
