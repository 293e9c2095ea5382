export { Pingback, PingbackApiError, type Approval, type PingbackOptions, type SendInput, type StagePing, type WaitOutcome } from './client';
export { SDK_ROUTES } from './routes';
