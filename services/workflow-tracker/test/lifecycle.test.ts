import { describeServiceLifecycle } from '@pingback/testing';
import { loadConfig } from '../src/config';
import { startWorkflowTracker, SERVICE } from '../src/start-workflow-tracker';

describeServiceLifecycle(SERVICE, (env) => startWorkflowTracker(loadConfig(env)));
