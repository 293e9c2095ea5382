import path from 'node:path';
import type { IScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { REPO_ROOT } from '@pingback/testing';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IService } from 'kubernetes-models/v1/Service';
import { readManifests, type Manifest } from './manifests';
import { containerPort, ofKind, podSpec, serviceContainer, type Container, type Deployment } from './pod-spec';

/** infra/k8s, read once: the objects its files hold, by kind. */
export const K8S_DIR = path.join(REPO_ROOT, 'infra', 'k8s');
export const SECRET_NAME = 'pingback-secrets';

export const manifests = readManifests(K8S_DIR);
export const deployments = ofKind<Deployment>(manifests, 'Deployment');
export const services = ofKind<IService & { metadata: { name: string } }>(manifests, 'Service');
export const scaledObjects = ofKind<IScaledObject>(manifests, 'ScaledObject');
export const configMaps: ReadonlyMap<string, Record<string, string>> = new Map(
  ofKind<IConfigMap>(manifests, 'ConfigMap').map((map) => [map.metadata!.name!, map.data ?? {}]),
);

export const describeObject = ({ file, object }: Manifest) => `${file}: ${object.kind} ${object.metadata.name}`;

export function deploymentOf(name: string): Deployment {
  const deployment = deployments.find((candidate) => candidate.metadata.name === name);
  if (!deployment) throw new Error(`no Deployment ${name} in infra/k8s`);
  return deployment;
}

export const allContainers = (deployment: Deployment): Container[] => [
  ...(podSpec(deployment).initContainers ?? []),
  ...podSpec(deployment).containers,
];

/** Follows a URL through a Service of infra/k8s to the Deployment whose pods answer it, and their port. */
export function routeOf(url: string): { deployment: string; port: number | undefined } | undefined {
  const { hostname, port } = new URL(url);
  const service = services.find((candidate) => candidate.metadata.name === hostname);
  const servicePort = service?.spec?.ports?.find((candidate) => candidate.port === Number(port));
  const selector = service?.spec?.selector;
  if (!selector || !servicePort) return undefined;
  const deployment = deployments.find((candidate) =>
    Object.entries(selector).every(([key, value]) => candidate.spec?.template.metadata?.labels?.[key] === value),
  );
  if (!deployment) return undefined;
  const target = servicePort.targetPort ?? servicePort.port;
  return { deployment: deployment.metadata.name, port: containerPort(serviceContainer(deployment), target) };
}
