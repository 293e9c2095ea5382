import { Affinity } from 'kubernetes-models/v1/Affinity';
import { ResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';
import { z } from 'zod';

/**
 * The RabbitMQ cluster operator's RabbitmqCluster (rabbitmq.com/v1beta1), for which no kubernetes-models package
 * exists: the fields of the operator's CRD (config/crd/bases/rabbitmq.com_rabbitmqclusters.yaml) that our
 * manifest uses, with the CRD's types and limits. Objects are strict, so a misspelt or unsupported field fails
 * instead of being pruned by the API server in silence; a field we start to use is added here from the CRD.
 */

/** A field that is a core Kubernetes type, checked by kubernetes-models. */
function kubernetesModel(Model: new (data: never) => { validate(): void }) {
  return z.unknown().superRefine((value, ctx) => {
    try {
      new Model(value as never).validate();
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  });
}

const Quantity = z.union([z.number(), z.string().regex(/^\d+(\.\d+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/)]);
const Labels = z.record(z.string(), z.string());

export const RabbitmqCluster = z.strictObject({
  apiVersion: z.literal('rabbitmq.com/v1beta1'),
  kind: z.literal('RabbitmqCluster'),
  metadata: z.strictObject({
    name: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/).max(63),
    namespace: z.string().optional(),
    labels: Labels.optional(),
    annotations: Labels.optional(),
  }),
  spec: z.strictObject({
    replicas: z.number().int().min(0).optional(),
    image: z.string().optional(),
    resources: kubernetesModel(ResourceRequirements).optional(),
    persistence: z
      .strictObject({ storage: Quantity.optional(), storageClassName: z.string().optional() })
      .optional(),
    rabbitmq: z
      .strictObject({
        additionalConfig: z.string().max(100_000).optional(),
        additionalPlugins: z.array(z.string()).max(100).optional(),
        advancedConfig: z.string().max(100_000).optional(),
        envConfig: z.string().max(100_000).optional(),
      })
      .optional(),
    affinity: kubernetesModel(Affinity).optional(),
    service: z
      .strictObject({
        type: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer']).optional(),
        annotations: Labels.optional(),
        labels: Labels.optional(),
      })
      .optional(),
    terminationGracePeriodSeconds: z.number().int().min(0).optional(),
  }),
});
export type RabbitmqCluster = z.infer<typeof RabbitmqCluster>;
