import { describeServiceLifecycle } from '@pingback/testing';
import { loadConfig } from '../src/config';
import { startApprovalService, SERVICE } from '../src/start-approval-service';

describeServiceLifecycle(SERVICE, (env) => startApprovalService(loadConfig(env)));
