import { ScaledObject, TriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Service } from 'kubernetes-models/v1';
import type { K8sObject } from './manifests';
import { RabbitmqCluster } from './rabbitmq-cluster.schema';

interface ModelClass {
  apiVersion: string;
  kind: string;
  new (data: never): { validate(): void };
}

/**
 * The kinds infra/k8s may hold. A kind missing here is refused, so a new one comes with its validator. Secret is
 * missing on purpose: secret values are never committed (the operator creates pingback-secrets).
 */
const MODELS: readonly ModelClass[] = [
  Namespace,
  ConfigMap,
  Service,
  Deployment,
  HorizontalPodAutoscaler,
  PodDisruptionBudget,
  ScaledObject,
  TriggerAuthentication,
];

const validators = new Map<string, (object: K8sObject) => void>([
  ...MODELS.map((Model) => [`${Model.apiVersion} ${Model.kind}`, (object: K8sObject) => new Model(object as never).validate()] as const),
  [
    'rabbitmq.com/v1beta1 RabbitmqCluster',
    (object: K8sObject) => {
      const result = RabbitmqCluster.safeParse(object);
      if (!result.success) throw new Error(result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
    },
  ],
]);

/** Throws when the object's kind is unknown or the object breaks its schema. */
export function validateObject(object: K8sObject): void {
  const validate = validators.get(`${object.apiVersion} ${object.kind}`);
  if (!validate) throw new Error(`${object.apiVersion} ${object.kind} is not a kind these tests can validate`);
  validate(object);
}
