import { DomainError } from '@pingback/contracts';

export const linkNotFound = () => new DomainError('not_found', 'this link is not valid');
export const linkExpired = () => new DomainError('link_expired', 'this link has expired');
export const alreadyResponded = () => new DomainError('already_responded', 'this message has already been answered');
export const invalidAnswer = (path: string, message: string) =>
  new DomainError('validation_failed', 'the answer does not fit the message', { fields: [{ path, message }] });
