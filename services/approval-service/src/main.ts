import { reportStartupFailure } from '@pingback/config';
import { loadConfig } from './config';
import { SERVICE, startApprovalService } from './start-approval-service';

// Composition root: configuration, the service, and the signals that stop it.
Promise.resolve()
  .then(() => startApprovalService(loadConfig()))
  .then(
    (service) => ['SIGTERM', 'SIGINT'].forEach((signal) => process.once(signal, () => void service.stop(signal).then((code) => process.exit(code)))),
    (error: unknown) => reportStartupFailure(SERVICE, error),
  );
