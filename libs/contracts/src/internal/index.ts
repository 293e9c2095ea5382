export * from './route';
export * from './response-store';
export * from './dispatcher';
export * from './gateway';
export * from './deliverer';
export * from './tracker';
export * from './forwarded-route';
export * from './approvals';
