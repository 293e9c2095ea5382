export {};
export * from './rabbit-vhost';
export * from './rabbit-node';
