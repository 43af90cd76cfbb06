import type { EventEnvelope } from '@hop/events';
import type { Logger } from '@hop/telemetry';
import { isUuid } from '../domain/uuid';

/** Events whose workspace id is a UUID; any other would fail its whole batch on every redelivery. */
export function withWorkspace<E extends EventEnvelope>(events: E[], logger: Logger): E[] {
  const valid = events.filter((e) => isUuid(e.workspaceId));
  if (valid.length < events.length) {
    logger.error({ eventIds: events.filter((e) => !isUuid(e.workspaceId)).map((e) => e.id) }, 'skipping events without a UUID workspace id');
  }
  return valid;
}
