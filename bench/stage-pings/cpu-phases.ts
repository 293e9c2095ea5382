import type { Stack } from '../../tests/support/stack';
import { CpuAccount, pidsNamed, takeCpuSnapshot, type ProcessGroup } from '../ping-it-back/cpu-usage';

/** The spans CPU time is accounted to, in the order the CPU table prints them. */
export const CPU_PHASES = { baseline: 'baseline rounds', gateway: 'gateway rounds', checker: 'checker pass' } as const;
export type CpuPhase = keyof typeof CPU_PHASES;

export interface CpuPhases {
  groups: ProcessGroup[];
  accounts: Record<CpuPhase, CpuAccount>;
  /** Runs `work`, adding the CPU each process used meanwhile to `phase`. */
  measured<T>(phase: CpuPhase, work: () => Promise<T>): Promise<T>;
}

/** CPU per process (the stack's services, the baseline route, the bench, the shared servers) over each phase. */
export function cpuPhases(stack: Stack, baselinePid: number): CpuPhases {
  const groups: ProcessGroup[] = [
    ...[...stack.services].map(([name, service]) => ({ label: name, pids: () => [service.pid] })),
    { label: 'baseline route', pids: () => [baselinePid] },
    { label: 'bench (autocannon)', pids: () => [process.pid] },
    { label: 'postgres (all)', pids: () => pidsNamed('postgres') },
    { label: 'rabbitmq (beam.smp)', pids: () => pidsNamed('beam.smp') },
    { label: 'redis-server', pids: () => pidsNamed('redis-server') },
  ];
  const accounts = { baseline: new CpuAccount(), gateway: new CpuAccount(), checker: new CpuAccount() };
  return {
    groups,
    accounts,
    async measured(phase, work) {
      const before = takeCpuSnapshot(groups);
      const result = await work();
      accounts[phase].add(before, takeCpuSnapshot(groups));
      return result;
    },
  };
}
