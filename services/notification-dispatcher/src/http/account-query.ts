import type { Request } from 'express';
import { z } from 'zod';

const AccountQuery = z.object({ account_id: z.string().min(1) });

/** The account a gateway call is made for (`?account_id=`): every owned object is looked up within it. */
export const accountOf = (req: Request): string => AccountQuery.parse(req.query).account_id;
