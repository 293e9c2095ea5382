import { DomainError } from '@pingback/contracts';
import type { TrackerDb, TrackerTx } from '../../data/prisma';
import { SHIPPED_MODEL_PRICES } from './model-price-table';
import { roundedDivision, usdToMicros } from './money';

/** The most prices of its own an account may keep. */
export const MAX_ACCOUNT_MODEL_PRICES = 500;

export interface ModelPrice {
  modelId: string;
  /** Micro-dollars per million tokens: the cost of a call in micro-dollars is tokens × price / 1,000,000. */
  inputMicrosPerMTok: bigint;
  outputMicrosPerMTok: bigint;
  source: 'shipped' | 'account';
}

const SHIPPED = new Map<string, ModelPrice>(
  Object.entries(SHIPPED_MODEL_PRICES).map(([modelId, [input, output]]) => [
    modelId,
    { modelId, inputMicrosPerMTok: usdToMicros(input), outputMicrosPerMTok: usdToMicros(output), source: 'shipped' },
  ]),
);

/**
 * The table entries that may price a model id, most specific first: the id itself, then each shorter prefix that
 * ends before a `-` (a dated or suffixed id, `claude-3-opus-20240229`, is priced as `claude-3-opus`).
 */
export function priceCandidates(modelId: string): string[] {
  const candidates = [modelId];
  for (let end = modelId.lastIndexOf('-'); end > 0; end = modelId.lastIndexOf('-', end - 1)) candidates.push(modelId.slice(0, end));
  return candidates;
}

/** The price of a model for an account: its own entry over the shipped one, the most specific entry first; or null. */
export async function priceFor(db: TrackerTx | TrackerDb, accountId: string, modelId: string): Promise<ModelPrice | null> {
  const candidates = priceCandidates(modelId);
  const own = new Map((await db.modelPrice.findMany({ where: { accountId, modelId: { in: candidates } } })).map((row) => [row.modelId, row]));
  for (const candidate of candidates) {
    const mine = own.get(candidate);
    if (mine) return { modelId: mine.modelId, inputMicrosPerMTok: mine.inputMicrosPerMTok, outputMicrosPerMTok: mine.outputMicrosPerMTok, source: 'account' };
    const shipped = SHIPPED.get(candidate);
    if (shipped) return shipped;
  }
  return null;
}

/** What a call cost in micro-dollars at a price, rounded half up to the micro-dollar. */
export const priceTokens = (price: ModelPrice, inputTokens: number, outputTokens: number): bigint =>
  roundedDivision(BigInt(inputTokens) * price.inputMicrosPerMTok + BigInt(outputTokens) * price.outputMicrosPerMTok, 1_000_000n);

/** `GET /api/model-prices`: the shipped table with the account's own entries over it, by model id. */
export async function listModelPrices(db: TrackerDb, accountId: string): Promise<ModelPrice[]> {
  const own = await db.modelPrice.findMany({ where: { accountId } });
  const table = new Map(SHIPPED);
  for (const row of own) table.set(row.modelId, { modelId: row.modelId, inputMicrosPerMTok: row.inputMicrosPerMTok, outputMicrosPerMTok: row.outputMicrosPerMTok, source: 'account' });
  return [...table.values()].sort((a, b) => (a.modelId < b.modelId ? -1 : a.modelId > b.modelId ? 1 : 0));
}

export interface PriceEntry {
  modelId: string;
  inputMicrosPerMTok: bigint;
  outputMicrosPerMTok: bigint;
}

/**
 * `PUT /api/model-prices`: sets the account's own price of each model named (others stay as they are). Entries
 * are counted under a lock per account, so parallel PUTs cannot pass the limit together.
 */
export async function setModelPrices(db: TrackerDb, accountId: string, entries: readonly PriceEntry[]): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock(hashtext($1))', `model-prices:${accountId}`);
    for (const entry of entries) {
      const data = { inputMicrosPerMTok: entry.inputMicrosPerMTok, outputMicrosPerMTok: entry.outputMicrosPerMTok };
      await tx.modelPrice.upsert({ where: { accountId_modelId: { accountId, modelId: entry.modelId } }, create: { accountId, modelId: entry.modelId, ...data }, update: data });
    }
    const count = await tx.modelPrice.count({ where: { accountId } });
    if (count > MAX_ACCOUNT_MODEL_PRICES) {
      throw new DomainError('validation_failed', 'the request is not valid', {
        fields: [{ path: 'prices', message: `an account keeps at most ${MAX_ACCOUNT_MODEL_PRICES} prices of its own; delete some first` }],
      });
    }
  });
}

/** `DELETE /api/model-prices/{model_id}`: the account's own price goes; the shipped one, if any, applies again. */
export async function deleteModelPrice(db: TrackerDb, accountId: string, modelId: string): Promise<void> {
  const { count } = await db.modelPrice.deleteMany({ where: { accountId, modelId } });
  if (count === 0) throw new DomainError('not_found', `no price of your own for model ${modelId}`);
}
