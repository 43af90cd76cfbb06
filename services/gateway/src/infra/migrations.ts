/** The service's migrations, in order (the outbox tables come from @hop/events). */
export const MIGRATIONS: Function[] = [];
