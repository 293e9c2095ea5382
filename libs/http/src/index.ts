export * from './app-error';
export * from './error-handler';
export * from './trace';
export * from './create-app';
export * from './internal-client';
export * from './start-server';
export * from './server-settings';
export * from './internal-server';
