import path from 'node:path';
import { startBaselineProcess, type BaselineProcess } from '../ping-it-back/baseline-process';

/** The empty `GET /shk/:id` route (baseline-route.ts) in a process of its own: the ping-it-back baseline serves a send. */
export const startBaselineRoute = (): Promise<BaselineProcess> => startBaselineProcess(path.join(__dirname, 'baseline-route.ts'));
