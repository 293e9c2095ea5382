import { DomainError } from '@pingback/contracts';

export { mustOwn } from '@pingback/contracts';

/** 400 validation_failed naming one field, as a zod failure would. */
export const invalidField = (path: string, message: string) => new DomainError('validation_failed', 'the request is not valid', { fields: [{ path, message }] });

/** 409 id_taken: public ids are global (they are in ping URLs), so another account's counts too. */
export const idTaken = (id: string) => new DomainError('id_taken', `the id "${id}" is already taken; choose another or leave it out to get one`, { id });
