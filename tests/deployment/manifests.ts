import fs from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/** What every Kubernetes object has; the rest is read where a test needs it. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

export interface Manifest {
  file: string;
  object: K8sObject;
}

export const KUSTOMIZATION = 'kustomization.yaml';

/** The YAML files of a manifest directory, kustomization.yaml aside, sorted. */
export function manifestFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((file) => /\.ya?ml$/.test(file) && file !== KUSTOMIZATION)
    .sort();
}

/**
 * Every document of every manifest file. A YAML error (a duplicate key among them) or a document that is not
 * one object with apiVersion, kind and metadata.name throws, naming the file.
 */
export function readManifests(dir: string): Manifest[] {
  return manifestFiles(dir).flatMap((file) =>
    parseObjects(fs.readFileSync(path.join(dir, file), 'utf8'), file).map((object) => ({ file, object })),
  );
}

/** The objects of a multi-document YAML text; `source` names it in errors. */
export function parseObjects(text: string, source: string): K8sObject[] {
  return parseAllDocuments(text).map((document, index) => {
    const where = `${source}, document ${index + 1}`;
    const problem = document.errors[0];
    if (problem) throw new Error(`${where}: ${problem.message}`);
    return asObject(document.toJS(), where);
  });
}

export function readKustomization(dir: string): Record<string, unknown> {
  return parse(fs.readFileSync(path.join(dir, KUSTOMIZATION), 'utf8')) as Record<string, unknown>;
}

function asObject(value: unknown, where: string): K8sObject {
  const object = value as Partial<K8sObject> | null;
  if (typeof object?.apiVersion !== 'string' || typeof object.kind !== 'string' || typeof object.metadata?.name !== 'string') {
    throw new Error(`${where}: not a Kubernetes object (apiVersion, kind and metadata.name are required)`);
  }
  return object as K8sObject;
}
