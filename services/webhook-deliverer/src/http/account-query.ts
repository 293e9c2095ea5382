import { z } from 'zod';

/** The account a gateway call is made for: every owned object is looked up within it ('' is no account). */
export const AccountQuery = z.object({ account_id: z.string().min(1) });
