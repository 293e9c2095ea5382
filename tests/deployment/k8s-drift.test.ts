import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ITriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication';
import { allSubscriptions } from '@pingback/contracts';
import { REPO_ROOT } from '@pingback/testing';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import {
  allContainers,
  configMaps,
  deploymentOf,
  deployments,
  K8S_DIR,
  manifests,
  routeOf,
  scaledObjects,
  SECRET_NAME,
  services,
} from './infra-k8s';
import { readKustomization } from './manifests';
import { GATEWAY_PUBLIC_PORT, PINGBACK_SERVICES } from './pingback-services';
import { containerEnv, containerPort, ofKind, podSpec, secretReferences, serviceContainer, type SecretReference } from './pod-spec';

/**
 * What keeps infra/k8s true to the code: the services' own config schemas, the queue table of libs/contracts, the
 * health ports of CONTRACT §8 and the Secret that docs/kubernetes.md tells the operator to create.
 */

const SERVICE_NAMES = Object.keys(PINGBACK_SERVICES);

/** The keys docs/kubernetes.md tells the operator to put in pingback-secrets (`--from-literal=KEY=…`). */
const documentedSecretKeys = [
  ...fs.readFileSync(path.join(REPO_ROOT, 'docs', 'kubernetes.md'), 'utf8').matchAll(/--from-literal=([A-Z0-9_]+)=/g),
]
  .map((match) => match[1]!)
  .sort();

/** Values shaped like the real ones, for the keys the docs create: what a service's config would be handed. */
const SAMPLE_SECRETS: Readonly<Record<string, string>> = {
  DATABASE_URL: 'postgresql://pingback:sample@postgres:5432/pingback',
  REDIS_URL: 'redis://:sample@redis:6379',
  RABBITMQ_URL: 'amqp://pingback:sample@pingback-rabbitmq:5672/%2f',
  PINGBACK_SECRET_KEY: randomBytes(32).toString('base64'),
  PINGBACK_ADMIN_KEY: randomBytes(24).toString('hex'),
};

function sampleSecret({ key, optional }: SecretReference): string | undefined {
  if (documentedSecretKeys.includes(key) && SAMPLE_SECRETS[key] !== undefined) return SAMPLE_SECRETS[key];
  if (optional) return undefined;
  throw new Error(`the manifests read ${key} from ${SECRET_NAME}, but docs/kubernetes.md does not create it (or this test has no sample)`);
}

/** The environment the service's container starts with, parsed by the service's own config schema. */
function parsedConfig(service: string): Record<string, unknown> {
  const env = containerEnv(serviceContainer(deploymentOf(service)), configMaps, sampleSecret);
  return PINGBACK_SERVICES[service]!.config.parse(env) as Record<string, unknown>;
}

/** The durable queues a service consumes, named `<consumer>:<entity>:<action>` in libs/contracts. */
const durableQueuesOf = (service: string): string[] =>
  allSubscriptions
    .filter((subscription) => !subscription.exclusive && subscription.queue.startsWith(`${service}:`))
    .map((subscription) => subscription.queue)
    .sort();

const CONSUMERS = SERVICE_NAMES.filter((service) => durableQueuesOf(service).length > 0);

describe('infra/k8s: the six services', () => {
  it('when the Deployments are listed, then there is one for each service and no other', () => {
    expect(deployments.map((deployment) => deployment.metadata.name).sort()).toEqual([...SERVICE_NAMES].sort());
  });

  describe.each(SERVICE_NAMES)('%s', (service) => {
    const { healthPort, config } = PINGBACK_SERVICES[service]!;

    it(`when its pods are probed, then readiness asks /readyz and liveness /healthz on HEALTH_PORT ${healthPort}`, () => {
      const container = serviceContainer(deploymentOf(service));
      expect(parsedConfig(service).HEALTH_PORT).toBe(healthPort);
      expect(container.readinessProbe?.httpGet?.path).toBe('/readyz');
      expect(containerPort(container, container.readinessProbe!.httpGet!.port)).toBe(healthPort);
      expect(container.livenessProbe?.httpGet?.path).toBe('/healthz');
      expect(containerPort(container, container.livenessProbe!.httpGet!.port)).toBe(healthPort);
    });

    it('when its own config schema parses its container environment, then every required variable is there and none is loopback', () => {
      const hostOf = (value: string) => (URL.canParse(value) ? new URL(value).hostname : value);
      const loopback = Object.entries(parsedConfig(service)).filter(
        ([, value]) => typeof value === 'string' && /^(127\.|localhost$|\[::1\]$)/.test(hostOf(value)),
      );
      expect(loopback).toEqual([]);
    });

    it('when it is given a secret, then its own config reads it (each service gets only the secrets it needs)', () => {
      const given = secretReferences(serviceContainer(deploymentOf(service))).map((reference) => reference.variable);
      expect(given.filter((variable) => !(variable in config.shape))).toEqual([]);
    });

    it('when its pod is stopped, then the grace period outlasts the preStop pause and SHUTDOWN_DEADLINE_MS together', () => {
      const deployment = deploymentOf(service);
      const preStop = serviceContainer(deployment).lifecycle?.preStop?.exec?.command ?? [];
      const pauseMs = preStop[0] === 'sleep' ? Number(preStop[1]) * 1_000 : 0;
      const deadlineMs = parsedConfig(service).SHUTDOWN_DEADLINE_MS as number;
      const graceMs = (podSpec(deployment).terminationGracePeriodSeconds ?? 30) * 1_000;
      // Beyond the service's own deadline: time for the process to exit before the kubelet's SIGKILL.
      expect(graceMs).toBeGreaterThanOrEqual(pauseMs + deadlineMs + 5_000);
    });

    it('when its containers run, then each is non-root, holds no capability, cannot escalate and has requests and limits', () => {
      const deployment = deploymentOf(service);
      expect(podSpec(deployment).securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(podSpec(deployment).securityContext?.runAsUser).toBeGreaterThan(0);
      for (const container of allContainers(deployment)) {
        expect(container.securityContext).toMatchObject({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
        expect(Object.keys(container.resources?.requests ?? {}).sort()).toEqual(['cpu', 'memory']);
        expect(Object.keys(container.resources?.limits ?? {}).sort()).toEqual(['cpu', 'memory']);
      }
    });

    it('when a pod starts, then an init container of its own image first runs the migration CLI of libs/db', () => {
      const deployment = deploymentOf(service);
      const [migrate, ...others] = podSpec(deployment).initContainers ?? [];
      expect(others).toEqual([]);
      expect(migrate?.image).toBe(serviceContainer(deployment).image);
      const [node, script] = migrate?.command ?? [];
      expect(node).toBe('node');
      expect(script).toBe('libs/db/dist/cli/migrate-all.js');
      expect(fs.existsSync(path.join(REPO_ROOT, 'libs/db/src/cli/migrate-all.ts'))).toBe(true);
      expect(secretReferences(migrate!).map((reference) => reference.variable)).toEqual(['DATABASE_URL']);
    });

    it('when its Deployment is read, then the image is pingback/<service>, kustomization.yaml tags it, and the selector matches the pods', () => {
      const deployment = deploymentOf(service);
      expect(serviceContainer(deployment).image).toBe(`pingback/${service}`);
      const images = readKustomization(K8S_DIR).images as Array<{ name: string }>;
      expect(images.map((image) => image.name)).toContain(`pingback/${service}`);
      expect(deployment.spec?.template.metadata?.labels).toMatchObject(deployment.spec?.selector.matchLabels ?? { missing: 'selector' });
    });

    it('when its internal Service is asked, then it routes to the pods of this service on the health port', () => {
      expect(routeOf(`http://${service}:${healthPort}`)).toEqual({ deployment: service, port: healthPort });
    });
  });
});

describe('infra/k8s: addresses between services', () => {
  const urlSettings = Object.entries(configMaps.get('pingback-config') ?? {}).filter(([, value]) =>
    /^https?:\/\/[a-z-]+:\d+$/.test(value),
  );

  it('when the shared config is read, then it names the internal address of every owner a service asks', () => {
    expect(urlSettings.map(([name]) => name).sort()).toEqual(['APPROVALS_URL', 'DELIVERER_URL', 'DISPATCHER_URL', 'GATEWAY_INTERNAL_URL', 'RESPONSE_STORE_URL', 'TRACKER_URL']);
  });

  test.each(urlSettings)('when %s (%s) is followed, then a Service routes it to the owner whose port the default names', (name, value) => {
    // The default (http://127.0.0.1:<port>) names the owner by its health port, as npm start runs it.
    const asker = Object.values(PINGBACK_SERVICES).find((candidate) => name in candidate.config.shape)!;
    const defaultPort = Number(new URL(asker.config.shape[name]!.parse(undefined) as string).port);
    const owner = SERVICE_NAMES.find((candidate) => PINGBACK_SERVICES[candidate]!.healthPort === defaultPort);
    expect(routeOf(value)).toEqual({ deployment: owner, port: defaultPort });
  });

  it('when the gateway is reached from outside, then the one public Service routes to its PORT', () => {
    expect(parsedConfig('ingest-gateway').PORT).toBe(GATEWAY_PUBLIC_PORT);
    const publicServices = services.filter((service) => service.spec?.type === 'LoadBalancer');
    expect(publicServices.map((service) => service.metadata.name)).toEqual(['ingest-gateway-public']);
    const port = publicServices[0]!.spec!.ports![0]!;
    expect(containerPort(serviceContainer(deploymentOf('ingest-gateway')), port.targetPort!)).toBe(GATEWAY_PUBLIC_PORT);
  });
});

describe('infra/k8s: configuration and secrets', () => {
  const containers = deployments.flatMap(allContainers);
  const triggerSecrets = ofKind<ITriggerAuthentication>(manifests, 'TriggerAuthentication').flatMap(
    (auth) => auth.spec.secretTargetRef ?? [],
  );

  it('when a variable is set anywhere in the manifests, then some service config reads it (a renamed one is not left behind)', () => {
    const read = new Set(Object.values(PINGBACK_SERVICES).flatMap((service) => Object.keys(service.config.shape)));
    const set = new Set([
      ...[...configMaps.values()].flatMap((data) => Object.keys(data)),
      ...containers.flatMap((container) => (container.env ?? []).map((variable) => variable.name)),
    ]);
    expect([...set].filter((variable) => !read.has(variable))).toEqual([]);
  });

  it('when the manifests read secrets, then all come from pingback-secrets and docs/kubernetes.md creates exactly the required keys', () => {
    const references = containers.flatMap(secretReferences);
    expect(references.filter((reference) => reference.secret !== SECRET_NAME)).toEqual([]);
    expect(triggerSecrets.filter((reference) => reference.name !== SECRET_NAME)).toEqual([]);
    const required = new Set([
      ...references.filter((reference) => !reference.optional).map((reference) => reference.key),
      ...triggerSecrets.map((reference) => reference.key),
    ]);
    expect([...required].sort()).toEqual(documentedSecretKeys);
  });
});

describe('infra/k8s: scaling', () => {
  it('when the queues of libs/contracts are listed, then each belongs to one of the six services, and the three consumers have some', () => {
    const ownerless = allSubscriptions.filter(
      (subscription) => !subscription.exclusive && !SERVICE_NAMES.some((service) => subscription.queue.startsWith(`${service}:`)),
    );
    expect(ownerless.map((subscription) => subscription.queue)).toEqual([]);
    expect(CONSUMERS).toEqual(expect.arrayContaining(['response-store', 'notification-dispatcher', 'webhook-deliverer']));
  });

  it('when the ScaledObjects are listed, then there is one for each service that consumes a queue', () => {
    expect(scaledObjects.map((scaled) => scaled.metadata!.name).sort()).toEqual([...CONSUMERS].sort());
  });

  describe.each(CONSUMERS)('%s', (service) => {
    const scaled = () => scaledObjects.find((candidate) => candidate.metadata?.name === service)!;

    it('when KEDA reads its queues, then there is one QueueLength trigger for each durable queue it consumes, and no other', () => {
      const triggers = scaled().spec.triggers;
      expect(triggers.map((trigger) => trigger.metadata.queueName).sort()).toEqual(durableQueuesOf(service));
      for (const trigger of triggers) {
        expect(trigger).toMatchObject({ type: 'rabbitmq', metadata: { protocol: 'amqp', mode: 'QueueLength' } });
        expect(Number(trigger.metadata.value)).toBeGreaterThan(0);
      }
    });

    it('when KEDA connects, then it authenticates with RABBITMQ_URL from pingback-secrets', () => {
      const names = new Set(scaled().spec.triggers.map((trigger) => trigger.authenticationRef?.name));
      expect(names.size).toBe(1);
      const auth = ofKind<ITriggerAuthentication>(manifests, 'TriggerAuthentication').find((candidate) =>
        names.has(candidate.metadata?.name),
      );
      expect(auth?.spec.secretTargetRef).toEqual([{ parameter: 'host', name: SECRET_NAME, key: 'RABBITMQ_URL' }]);
    });

    it('when it scales, then it targets its Deployment, never goes below one copy, and the Deployment leaves the count to KEDA', () => {
      const { spec } = scaled();
      expect(spec.scaleTargetRef.name).toBe(service);
      expect(spec.minReplicaCount).toBeGreaterThanOrEqual(1);
      expect(spec.maxReplicaCount).toBeGreaterThan(spec.minReplicaCount!);
      expect(deploymentOf(service).spec?.replicas).toBeUndefined();
    });
  });

  it('when the gateway scales, then an autoscaler keeps two copies or more and the Deployment leaves the count to it', () => {
    const autoscalers = ofKind<IHorizontalPodAutoscaler>(manifests, 'HorizontalPodAutoscaler');
    expect(autoscalers.map((autoscaler) => autoscaler.spec?.scaleTargetRef.name)).toEqual(['ingest-gateway']);
    expect(autoscalers[0]!.spec!.minReplicas).toBeGreaterThanOrEqual(2);
    expect(deploymentOf('ingest-gateway').spec?.replicas).toBeUndefined();
  });

  it('when the broker is deployed, then it is one RabbitmqCluster of three nodes, one per machine', () => {
    const clusters = ofKind<{ spec: { replicas: number; affinity: unknown } }>(manifests, 'RabbitmqCluster');
    expect(clusters.map((cluster) => cluster.spec.replicas)).toEqual([3]);
    expect(clusters[0]!.spec.affinity).toMatchObject({
      podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname' }] },
    });
  });
});
