export * from './infra';
export * from './containers';
export * from './gateway-headers';
export * from './private-kafka';
export * from './contract';
export * from './dns-server';
