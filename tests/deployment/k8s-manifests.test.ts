import { spawnSync } from 'node:child_process';
import { allContainers, describeObject, K8S_DIR, manifests, SECRET_NAME } from './infra-k8s';
import { manifestFiles, parseObjects, readKustomization, type K8sObject } from './manifests';
import { ofKind, type Deployment } from './pod-spec';
import { validateObject } from './validate-object';

// npm test does not install kubectl (no registry we use ships it); where it is, it builds what `apply -k` applies.
const kubectlInstalled = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
if (!kubectlInstalled) console.warn('kubectl is not installed, so `kubectl kustomize infra/k8s` is not tried');

const key = (object: K8sObject) => `${object.kind}/${object.metadata.name}`;

describe('infra/k8s: every manifest is valid', () => {
  test.each(manifests.map((manifest) => [describeObject(manifest), manifest.object] as const))(
    'when %s is validated against its schema, then it passes',
    (_name, object) => {
      expect(() => validateObject(object)).not.toThrow();
    },
  );

  it('when kustomization.yaml is read, then it lists every manifest file, once', () => {
    const kustomization = readKustomization(K8S_DIR);
    expect([...(kustomization.resources as string[])].sort()).toEqual(manifestFiles(K8S_DIR));
    expect(kustomization.namespace).toBe('pingback');
  });

  (kubectlInstalled ? it : it.skip)('when kubectl builds the kustomization, then it yields every object of the files, each image tagged', () => {
    const result = spawnSync('kubectl', ['kustomize', K8S_DIR], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const built = parseObjects(result.stdout, 'kubectl kustomize');
    expect(built.map(key).sort()).toEqual(manifests.map(({ object }) => key(object)).sort());
    const images = ofKind<Deployment>(built.map((object) => ({ file: 'kubectl kustomize', object })), 'Deployment')
      .flatMap(allContainers)
      .map((container) => container.image ?? '');
    expect(images.filter((image) => !/^pingback\/[a-z-]+:[\w.-]+$/.test(image))).toEqual([]);
  });

  it('when the objects are listed, then each is in the pingback namespace and no name repeats within a kind', () => {
    const elsewhere = manifests.filter(({ object }) => object.kind !== 'Namespace' && object.metadata.namespace !== 'pingback');
    expect(elsewhere.map(describeObject)).toEqual([]);
    const keys = manifests.map(({ object }) => key(object));
    expect(keys.filter((one, index) => keys.indexOf(one) !== index)).toEqual([]);
  });

  it('when the objects are listed, then no Secret is among them (secret values are never committed)', () => {
    expect(manifests.filter(({ object }) => object.kind === 'Secret').map(describeObject)).toEqual([]);
  });
});

describe('infra/k8s: a broken manifest is refused', () => {
  /** A copy of one of our objects with the field at `fieldPath` set to `value`, or removed when it is undefined. */
  function brokenCopy(kind: string, name: string, fieldPath: Array<string | number>, value: unknown): K8sObject {
    const found = manifests.find(({ object }) => object.kind === kind && object.metadata.name === name);
    if (!found) throw new Error(`no ${kind} ${name} in infra/k8s`);
    const copy = structuredClone(found.object);
    type Node = Record<string | number, unknown>;
    const parent = fieldPath.slice(0, -1).reduce<Node>((node, step) => node[step] as Node, copy);
    const last = fieldPath[fieldPath.length - 1]!;
    if (value === undefined) delete parent[last];
    else parent[last] = value;
    return copy;
  }
  const container = ['spec', 'template', 'spec', 'containers', 0];
  const antiAffinity = ['spec', 'affinity', 'podAntiAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 0];

  test.each<[string, () => K8sObject, string]>([
    [
      'a Deployment whose replicas is text',
      () => brokenCopy('Deployment', 'workflow-tracker', ['spec', 'replicas'], 'two'),
      'data/spec/replicas must be integer',
    ],
    [
      'a Deployment without a selector',
      () => brokenCopy('Deployment', 'response-store', ['spec', 'selector'], undefined),
      'must have required property selector',
    ],
    [
      'a Deployment whose image is a number',
      () => brokenCopy('Deployment', 'ingest-gateway', [...container, 'image'], 42),
      'containers/0/image must be string',
    ],
    [
      'a Service whose port is a name',
      () => brokenCopy('Service', 'response-store', ['spec', 'ports', 0, 'port'], 'internal'),
      'data/spec/ports/0/port must be integer',
    ],
    [
      'a ScaledObject without its scaleTargetRef',
      () => brokenCopy('ScaledObject', 'webhook-deliverer', ['spec', 'scaleTargetRef'], undefined),
      'must have required property scaleTargetRef',
    ],
    [
      'a ScaledObject whose trigger value is a number',
      () => brokenCopy('ScaledObject', 'response-store', ['spec', 'triggers', 0, 'metadata', 'value'], 200),
      'metadata/value must be string',
    ],
    [
      'a TriggerAuthentication whose secret reference has no key',
      () => brokenCopy('TriggerAuthentication', 'pingback-rabbitmq', ['spec', 'secretTargetRef', 0, 'key'], undefined),
      'must have required property key',
    ],
    [
      'a RabbitmqCluster with a misspelt field',
      () => brokenCopy('RabbitmqCluster', 'pingback-rabbitmq', ['spec', 'replica'], 3),
      'replica',
    ],
    [
      'a RabbitmqCluster whose anti-affinity has no topology key',
      () => brokenCopy('RabbitmqCluster', 'pingback-rabbitmq', [...antiAffinity, 'topologyKey'], undefined),
      'must have required property topologyKey',
    ],
    [
      'an object of an API version no validator knows',
      () => brokenCopy('Deployment', 'response-store', ['apiVersion'], 'apps/v1beta9'),
      'apps/v1beta9 Deployment is not a kind',
    ],
    ['a Secret', () => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: SECRET_NAME } }), 'v1 Secret is not a kind'],
  ])('when %s is validated, then it is refused', (_name, make, why) => {
    const object = make();
    expect(() => validateObject(object)).toThrow(why);
  });
});
