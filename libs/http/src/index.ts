export * from './app';
export * from './error-table';
export * from './errors';
export * from './internal-client';
export * from './internal-proof';
export * from './server';
export * from './validation';
export * from './openapi-document';
