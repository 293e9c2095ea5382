export * from './connected-service';
