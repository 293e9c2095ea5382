import type { NotificationContent } from './notification-content';

/** Which destinations of the channel a round delivers to: those a selector names (by id or kind), or all but some. */
export interface RoundSelection {
  include?: { ids: string[]; kinds: string[] };
  exclude?: { ids: string[]; kinds: string[] };
}

const split = (selectors: readonly string[]) => ({
  ids: selectors.filter((s) => s.startsWith('dst_')),
  kinds: selectors.filter((s) => !s.startsWith('dst_')),
});

export const PRIMARY = 'primary';
export const fallbackRound = (index: number) => `fallback:${index}`;
export const escalationRound = (step: number) => `escalation:${step}`;
/** The step number of an `escalation:<n>` round; null for any other round. */
export const escalationStepOf = (round: string): number | null => (round.startsWith('escalation:') ? Number(round.slice('escalation:'.length)) : null);

/**
 * The primary round reaches every destination that no fallback entry and no escalation step names (those wait
 * for their turn); `fallback:<n>` the n-th fallback entry's; `escalation:<n>` the n-th step's, counting the
 * repeats (step n is `steps[n % steps.length]`).
 */
export function selectionOf(content: Pick<NotificationContent, 'fallback' | 'escalation'>, round: string): RoundSelection | null {
  if (round === PRIMARY) {
    const heldBack = [...content.fallback, ...(content.escalation?.steps.flatMap((step) => step.destinations) ?? [])];
    return heldBack.length === 0 ? {} : { exclude: split(heldBack) };
  }
  const [kind, number] = round.split(':');
  const index = Number(number);
  if (kind === 'fallback') {
    const entry = content.fallback[index];
    return entry === undefined ? null : { include: split([entry]) };
  }
  if (kind === 'escalation' && content.escalation) {
    const step = content.escalation.steps[index % content.escalation.steps.length];
    return step ? { include: split(step.destinations) } : null;
  }
  return null;
}

/** Steps an escalation policy runs in all: its list, and `repeat` more times. */
export const escalationStepCount = (policy: NonNullable<NotificationContent['escalation']>) => policy.steps.length * (policy.repeat + 1);
