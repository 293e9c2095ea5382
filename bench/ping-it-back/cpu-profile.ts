import fs from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

export interface ProfileSummary {
  file: string;
  /** Samples when the process was doing something (idle left out). */
  busySamples: number;
  /** Self time by where the code lives (a package, a workspace lib, node core, GC), largest first. */
  byOrigin: [string, number][];
  /** Time with a package's or workspace lib's frames anywhere on the stack (overlapping: Prisma calls pg). */
  underOrigin: [string, number][];
  /** Self time by function, largest first. */
  byFunction: [string, number][];
}

/**
 * Loaded into each service with NODE_OPTIONS=--require (Node 20 refuses --cpu-prof there): starts V8's sampling
 * profiler in the process and writes CPU.<pid>.cpuprofile when it exits (the services exit on SIGTERM).
 */
const preloadSource = (directory: string) => `
const inspector = require('node:inspector');
const fs = require('node:fs');
const path = require('node:path');
const session = new inspector.Session();
session.connect();
session.post('Profiler.enable');
session.post('Profiler.start');
process.on('exit', () => {
  // The in-process session answers synchronously, so this runs to the end inside the exit handler.
  session.post('Profiler.stop', (error, result) => {
    if (!error) fs.writeFileSync(path.join(${JSON.stringify(directory)}, 'CPU.' + process.pid + '.cpuprofile'), JSON.stringify(result.profile));
  });
});
`;

/** Prepares `directory` for profiles and returns the environment that makes a service write one. */
export function cpuProfileEnv(directory: string): Record<string, string> {
  const preload = path.join(directory, 'profile-preload.cjs');
  fs.writeFileSync(preload, preloadSource(directory));
  return { NODE_OPTIONS: `--require ${preload}` };
}

/** Where a frame's code lives: the npm package, the workspace lib or service, node core, or V8's own work. */
function originOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node core';
  if (url.startsWith('wasm:')) return 'wasm';
  const file = url.replace(/^file:\/\//, '');
  const modules = file.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const parts = file.slice(modules + '/node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  if (file.includes('/generated/')) return 'generated Prisma client';
  const own = /\/(libs|services)\/([^/]+)\//.exec(file);
  if (own) return own[1] === 'libs' ? `@pingback/${own[2]}` : `${own[2]} (own code)`;
  return path.basename(file);
}

const shortUrl = (url: string) => url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '').replace(/^.*\/(libs|services)\//, '$1/');

function top(counts: Map<string, number>, n: number): [string, number][] {
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, n);
}

/** Origins that say which library a stack is in; node core, native code and V8 run under everything. */
const isLibrary = (origin: string) => !origin.startsWith('(') && origin !== 'node core';

export function summarizeProfile(file: string, topN = 8): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as { nodes: ProfileNode[] };
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const byOrigin = new Map<string, number>();
  const underOrigin = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let busySamples = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    if (!hits || functionName === '(idle)') continue;
    busySamples += hits;
    const origin = originOf(url, functionName);
    byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + hits);
    const name = url ? `${functionName || '(anonymous)'} ${shortUrl(url)}:${lineNumber + 1}` : functionName;
    byFunction.set(name, (byFunction.get(name) ?? 0) + hits);
    const onStack = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parents.get(id)) {
      const frame = nodes.get(id)!.callFrame;
      onStack.add(originOf(frame.url, frame.functionName));
    }
    for (const stacked of onStack) if (isLibrary(stacked)) underOrigin.set(stacked, (underOrigin.get(stacked) ?? 0) + hits);
  }
  return { file, busySamples, byOrigin: top(byOrigin, topN), underOrigin: top(underOrigin, topN + 4), byFunction: top(byFunction, topN) };
}

/** The profiles in `directory`, by the pid in their file name (CPU.<pid>.cpuprofile). */
export function profilesByPid(directory: string): Map<number, string> {
  const files = new Map<number, string>();
  for (const name of fs.readdirSync(directory)) {
    const match = /^CPU\.(\d+)\.cpuprofile$/.exec(name);
    if (match) files.set(Number(match[1]), path.join(directory, name));
  }
  return files;
}
