import type { AppError } from '@pingback/http';
import type { Request } from 'express';
import type { CredentialFailures } from '../cache/credential-failures';
import type { FamilyName } from '../http/route-family';
import { clientAddress } from './client-address';

/** Throws a failed credential's answer, after counting it against the caller's address in this family. */
export async function refuseCredential(failures: CredentialFailures, family: FamilyName, req: Request, error: AppError): Promise<never> {
  throw await failures.refuse(family, clientAddress(req), error);
}
