import type { z } from 'zod';
import { Config as ApprovalServiceConfig } from '../../services/approval-service/src/config';
import { Config as GatewayConfig } from '../../services/ingest-gateway/src/config';
import { Config as DispatcherConfig } from '../../services/notification-dispatcher/src/config';
import { Config as ResponseStoreConfig } from '../../services/response-store/src/config';
import { Config as DelivererConfig } from '../../services/webhook-deliverer/src/config';
import { Config as WorkflowTrackerConfig } from '../../services/workflow-tracker/src/config';

export interface PingbackService {
  /** The service's own config schema: what its main.ts parses at start. */
  config: z.ZodObject;
  /** Its internal port (CONTRACT §8: 9101–9106). */
  healthPort: number;
}

/** The six services, each with the schema its process checks its environment against. */
export const PINGBACK_SERVICES: Readonly<Record<string, PingbackService>> = {
  'ingest-gateway': { config: GatewayConfig, healthPort: 9101 },
  'notification-dispatcher': { config: DispatcherConfig, healthPort: 9102 },
  'response-store': { config: ResponseStoreConfig, healthPort: 9103 },
  'workflow-tracker': { config: WorkflowTrackerConfig, healthPort: 9104 },
  'approval-service': { config: ApprovalServiceConfig, healthPort: 9105 },
  'webhook-deliverer': { config: DelivererConfig, healthPort: 9106 },
};

/** The gateway's public port (CONTRACT §8). */
export const GATEWAY_PUBLIC_PORT = 8080;
