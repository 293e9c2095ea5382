import type { Deadlines, SqlClient } from '../../libs/durable/src';

export interface SqlStatement {
  text: string;
  values: unknown[];
}

/**
 * The SQL a sweeper's `claimDue` sends, with its parameters, caught by a client that records the query instead of
 * running it: the bench explains the very statement libs/durable runs, not a copy of it.
 */
export async function claimStatement(deadlines: Deadlines, kinds: readonly string[], limit: number): Promise<SqlStatement> {
  let caught: SqlStatement | undefined;
  const recorder: SqlClient = {
    $queryRawUnsafe: <T>(text: string, ...values: unknown[]) => {
      caught = { text, values };
      return Promise.resolve([] as T);
    },
    $executeRawUnsafe: () => Promise.reject(new Error('claimDue is expected to read, not write')),
  };
  await deadlines.claimDue(recorder, kinds, limit);
  if (!caught) throw new Error('claimDue sent no query');
  return caught;
}
