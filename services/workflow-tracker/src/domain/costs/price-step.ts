import { DomainError } from '@pingback/contracts';
import type { TrackerTx } from '../../data/prisma';
import { formatUsd, MAX_TOTAL_MICROS } from './money';
import { priceFor, priceTokens } from './model-prices';
import { reportsCost, type StepTelemetry } from './step-telemetry';

export interface StepCost {
  /** Micro-dollars; null when unknown. */
  costMicros: bigint | null;
  /** The ping reported cost data, but neither a cost_usd nor a model and token counts that the table prices. */
  unpriced: boolean;
}

/**
 * A step's cost: its `cost_usd` when sent; otherwise its tokens at its model's price (the account's table over
 * the shipped one); otherwise unknown, and `unpriced` when the ping carried any cost data at all.
 */
export async function priceStep(tx: TrackerTx, accountId: string, telemetry: StepTelemetry): Promise<StepCost> {
  if (telemetry.costMicros !== null) return { costMicros: telemetry.costMicros, unpriced: false };
  if (!reportsCost(telemetry)) return { costMicros: null, unpriced: false };
  if (telemetry.modelId === null || (telemetry.inputTokens === null && telemetry.outputTokens === null)) return { costMicros: null, unpriced: true };
  const price = await priceFor(tx, accountId, telemetry.modelId);
  if (!price) return { costMicros: null, unpriced: true };
  return { costMicros: priceTokens(price, telemetry.inputTokens ?? 0, telemetry.outputTokens ?? 0), unpriced: false };
}

/** 400 for a ping whose cost would take a total past MAX_TOTAL_MICROS: it names the field the cost came from. */
export function costTooLarge(cost: StepCost, telemetry: StepTelemetry): DomainError {
  const field = telemetry.costMicros !== null ? 'cost_usd' : 'usage';
  return new DomainError('validation_failed', 'the request is not valid', {
    fields: [{ path: field, message: `would take a run's or a day's cost past ${formatUsd(MAX_TOTAL_MICROS)}, the most Pingback adds up` }],
  });
}
