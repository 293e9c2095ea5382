import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { Manifest } from './manifests';

export type Deployment = IDeployment & { metadata: { name: string } };
export type Container = IContainer;

export const ofKind = <T>(manifests: readonly Manifest[], kind: string): T[] =>
  manifests.filter((manifest) => manifest.object.kind === kind).map((manifest) => manifest.object as T);

export function podSpec(deployment: Deployment) {
  const spec = deployment.spec?.template.spec;
  if (!spec) throw new Error(`Deployment ${deployment.metadata.name} has no pod spec`);
  return spec;
}

/** The container named like its Deployment: the service itself (init containers aside). */
export function serviceContainer(deployment: Deployment): Container {
  const container = podSpec(deployment).containers.find((candidate) => candidate.name === deployment.metadata.name);
  if (!container) throw new Error(`Deployment ${deployment.metadata.name} has no container named ${deployment.metadata.name}`);
  return container;
}

/** A container port by name or number, as a probe or a Service's targetPort refers to it. */
export function containerPort(container: Container, port: number | string): number | undefined {
  if (typeof port === 'number') return container.ports?.some((p) => p.containerPort === port) ? port : undefined;
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

export interface SecretReference {
  key: string;
  optional: boolean;
}

/**
 * The environment a container starts with: the ConfigMaps of envFrom, then env. A secret's value is what
 * `secretValue` says for its key (the tests' sample); an optional secret that has none is left out, as the kubelet
 * does when the key is absent.
 */
export function containerEnv(
  container: Container,
  configMaps: ReadonlyMap<string, Record<string, string>>,
  secretValue: (reference: SecretReference) => string | undefined,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    const name = source.configMapRef?.name;
    const data = name === undefined ? undefined : configMaps.get(name);
    if (!data) throw new Error(`${container.name}: envFrom must name a ConfigMap of these manifests (secrets are listed one by one)`);
    Object.assign(env, data);
  }
  for (const variable of container.env ?? []) {
    const fromSecret = variable.valueFrom?.secretKeyRef;
    const fromConfigMap = variable.valueFrom?.configMapKeyRef;
    const value = fromSecret
      ? secretValue({ key: fromSecret.key, optional: fromSecret.optional === true })
      : fromConfigMap
        ? configMaps.get(fromConfigMap.name ?? '')?.[fromConfigMap.key]
        : variable.value;
    if (value !== undefined) env[variable.name] = value;
  }
  return env;
}

/** Every secret key a container reads, with the Secret it names. */
export function secretReferences(container: Container): Array<SecretReference & { secret: string | undefined; variable: string }> {
  return (container.env ?? []).flatMap((variable) => {
    const ref = variable.valueFrom?.secretKeyRef;
    return ref ? [{ variable: variable.name, secret: ref.name, key: ref.key, optional: ref.optional === true }] : [];
  });
}
