/** One outgoing POST as the domain reads it from its record (the repository's rows have this shape and more). */
export interface WebhookRecord {
  id: string;
  purpose: string;
  url: string;
  /** The exact bytes every attempt sends. */
  body: string;
  /** '' on rows recorded before subjects carried an account. */
  accountId: string;
  subjectKind: string;
  subjectId: string;
  /** A JSON object of strings, as the requester sent it. */
  subjectRefs: unknown;
  /** The registered endpoint it goes to (see endpointOf); null for a send's own URL. */
  endpointKind: string | null;
  endpointId: string | null;
  /** pending | succeeded | failed */
  status: string;
  attempts: number | null;
  responseStatus: number | null;
  latencyMs: number | null;
  errorCode: string | null;
  errorMessage: string | null;
  settledAt: Date | null;
}
