export * from './infra';
export * from './containers';
