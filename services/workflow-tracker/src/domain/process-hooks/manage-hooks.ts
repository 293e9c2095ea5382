import { isUniqueViolation } from '@pingback/db';
import { newId } from '@pingback/security';
import type { TrackerDeps } from '../../tracker-deps';
import { checkAlertChannels } from '../alert-channels';
import { lockRow } from '../monitors/database-clock';
import { idTaken, mustOwn } from '../domain-errors';
import type { ProcessHookRow } from './hook-row';
import { stopOverdueClocksOfHook } from './process-clock';

export interface HookSettings {
  name: string;
  maxDurationMs: number;
  alertChannels: string[];
}

export async function createHook(deps: TrackerDeps, accountId: string, id: string | undefined, settings: HookSettings): Promise<ProcessHookRow> {
  const hookId = id ?? newId('phk_');
  const alertChannels = await checkAlertChannels(deps.gateway, accountId, settings.alertChannels);
  try {
    return await deps.db.$transaction(async (tx) => {
      if (await tx.processHook.findUnique({ where: { id: hookId }, select: { id: true } })) throw idTaken(hookId);
      return tx.processHook.create({ data: { id: hookId, accountId, name: settings.name, maxDurationMs: settings.maxDurationMs, alertChannels } });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw idTaken(hookId);
    throw error;
  }
}

/** Changes the settings given; a new maximum duration applies to runs started from then on. */
export async function updateHook(deps: TrackerDeps, accountId: string, hookId: string, changes: Partial<HookSettings>): Promise<ProcessHookRow> {
  const alertChannels = changes.alertChannels && (await checkAlertChannels(deps.gateway, accountId, changes.alertChannels));
  return deps.db.$transaction(async (tx) => {
    await lockRow(tx, 'process_hooks', hookId);
    mustOwn(await tx.processHook.findUnique({ where: { id: hookId } }), accountId, 'process hook');
    return tx.processHook.update({
      where: { id: hookId },
      data: {
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.maxDurationMs !== undefined ? { maxDurationMs: changes.maxDurationMs } : {}),
        ...(alertChannels ? { alertChannels } : {}),
      },
    });
  });
}

/** Deletes a hook with its runs and their clocks. */
export async function deleteHook(deps: TrackerDeps, accountId: string, hookId: string): Promise<void> {
  await deps.db.$transaction(async (tx) => {
    await lockRow(tx, 'process_hooks', hookId);
    mustOwn(await tx.processHook.findUnique({ where: { id: hookId } }), accountId, 'process hook');
    await stopOverdueClocksOfHook(tx, hookId);
    await tx.processHook.delete({ where: { id: hookId } });
  });
}
