import { compareStagePathTexts, highestStagePath } from './stage-path';

export type ValidationMode = 'strict' | 'flexible';

/**
 * What a stage ping does, decided from the workflow's mode and the running instance (if any) alone:
 * - `start`: a new instance begins with this stage (a running one, if any, is superseded);
 * - `record`: the stage joins the running instance;
 * - `missed` (strict): stages were skipped; the ping is refused with 400 stage_missed and the instance fails;
 * - `out_of_order` (strict): the stage repeats or goes backwards; refused with 409, the instance goes on;
 * - `no_running_instance`: nothing to join and this ping may not start a run; refused with 409.
 * `completes` says whether the instance is complete once this stage is in.
 */
export type StageDecision =
  | { kind: 'start'; supersede: boolean; completes: boolean }
  | { kind: 'record'; completes: boolean }
  | { kind: 'missed'; missing: number[]; last: number }
  | { kind: 'out_of_order'; last: string }
  | { kind: 'no_running_instance' };

export interface StaticPing {
  mode: ValidationMode;
  /** How many stages the workflow has (the ping's stage is already known to be one of them). */
  stageCount: number;
  stage: number;
  /** The stages the running instance has received, or null when none runs. */
  running: readonly number[] | null;
  /** The ping names its instance (a fork or re-run): it joins that run and never starts another. */
  attached?: boolean;
}

/**
 * Static workflows. Strict: stage 1 starts a run; each later stage must be the next one (a gap is `missed`, a
 * repeat or a step back `out_of_order`); the last stage completes the run. Flexible: stages arrive in any order;
 * a stage joins the running instance unless that instance already has it, in which case it is a new run (so
 * 3, 1, 2 is one run, and 1, 2, 3, 1 two); a run completes when every stage is in.
 */
export function decideStaticPing(ping: StaticPing): StageDecision {
  const { mode, stageCount, stage, running } = ping;
  if (ping.attached) return decideAttachedStaticPing(mode, stageCount, stage, running ?? []);
  if (mode === 'strict') {
    if (stage === 1) return { kind: 'start', supersede: running !== null, completes: stageCount === 1 };
    if (running === null) return { kind: 'no_running_instance' };
    const last = Math.max(0, ...running);
    if (stage <= last) return { kind: 'out_of_order', last: String(last) };
    if (stage > last + 1) return { kind: 'missed', missing: range(last + 1, stage - 1), last };
    return { kind: 'record', completes: stage === stageCount };
  }
  if (running === null || running.includes(stage)) {
    return { kind: 'start', supersede: running !== null, completes: stageCount === 1 };
  }
  const received = new Set([...running, stage]);
  return { kind: 'record', completes: range(1, stageCount).every((s) => received.has(s)) };
}

/**
 * A static ping into a named run (a fork or re-run): the rules above, but the stage joins that run where they would
 * start a new one: a strict run expects the stage after its last one (stage 1 in an empty re-run) and refuses a
 * repeat as out of order; a flexible one takes any stage, replacing one it has.
 */
function decideAttachedStaticPing(mode: ValidationMode, stageCount: number, stage: number, running: readonly number[]): StageDecision {
  const received = new Set([...running, stage]);
  const completes = range(1, stageCount).every((s) => received.has(s));
  if (mode === 'flexible') return { kind: 'record', completes };
  const last = Math.max(0, ...running);
  if (stage <= last) return { kind: 'out_of_order', last: String(last) };
  if (stage > last + 1) return { kind: 'missed', missing: range(last + 1, stage - 1), last };
  return { kind: 'record', completes: stage === stageCount };
}

export interface DynamicPing {
  mode: ValidationMode;
  path: string;
  start: boolean;
  final: boolean;
  /** The paths the running instance has received, or null when none runs. */
  running: readonly string[] | null;
  /** The ping names its instance (a fork or re-run): `start=yes` joins it rather than starting another. */
  attached?: boolean;
}

/**
 * Dynamic workflows: `start=yes` begins a run (superseding a running one), `final=yes` completes it, and any
 * other ping needs a running instance to join. Strict mode also refuses a path that does not come after every
 * path the run has seen (`2.1` then `2.2` is fine, `2.2` then `2.1` or `2` again is not).
 */
export function decideDynamicPing(ping: DynamicPing): StageDecision {
  const { mode, path, final, running } = ping;
  const start = ping.start && !ping.attached;
  if (start) return { kind: 'start', supersede: running !== null, completes: final };
  if (running === null) return { kind: 'no_running_instance' };
  if (mode === 'strict') {
    const last = highestStagePath(running);
    if (last !== undefined && compareStagePathTexts(path, last) <= 0) return { kind: 'out_of_order', last };
  }
  return { kind: 'record', completes: final };
}

/** Why strict mode refused a stage that repeats or goes backwards, in words for the pipeline's log. */
export function outOfOrder(stage: string, last: string, what: 'stage' | 'path'): string {
  const rule = what === 'stage' ? 'each stage must be the one after the last' : 'each path must come after the last one';
  return stage === last ? `stage ${stage} already ran in this instance (strict mode: ${rule})` : `stage ${stage} came after stage ${last} (strict mode: ${rule})`;
}

/** The stages of a static run not yet in, lowest first. */
export const missingStages = (stageCount: number, received: Iterable<number>): number[] => {
  const got = new Set(received);
  return range(1, stageCount).filter((s) => !got.has(s));
};

/** Words a stage ping's JSON body may use to say the stage failed (the Airflow provider's failure callback says "failure"). */
const FAILURE_WORDS = new Set(['failure', 'failed', 'fail', 'error']);

/** Whether a stage's payload reports the stage as failed: `"status": "failure"` (or failed, fail, error). */
export function payloadSaysFailed(payload: Record<string, unknown> | undefined): boolean {
  const status = payload?.status;
  return typeof status === 'string' && FAILURE_WORDS.has(status.trim().toLowerCase());
}

const range = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
