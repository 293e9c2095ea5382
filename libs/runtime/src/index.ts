export * from './connected-service';
export * from './transient-error';
export * from './service-broker';
