// First: it sets zod's messages for the whole process (see the file).
export * from './validation-messages';
export * from './envelope';
export * from './errors';
export * from './domain-error';
export * from './limits';
export * from './seed-timestamp';
export * from './http/text';
export * from './http/json-problems';
export * from './http/actions';
export * from './http/send';
export * from './http/answer';
export * from './http/management';
export * from './http/management-lists';
export * from './messages/notification';
export * from './messages/webhook';
export * from './internal';
