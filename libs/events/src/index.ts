export * from './contracts';
export * from './envelope';
export * from './kafka';
export * from './consumer';
export * from './outbox';
export * from './topics';
export * from './click-id';
export * from './click-view';
