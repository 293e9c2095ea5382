export * from './connected-service';
export * from './transient-error';
