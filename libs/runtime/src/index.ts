export * from './run-service';
export * from './transient-error';
export * from './service-broker';
export * from './database-options';
export * from './broker-outbox-relay';
