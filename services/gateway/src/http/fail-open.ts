import { metrics, type Logger } from '@hop/telemetry';

const failOpen = metrics.counter(
  'hop_gateway_redis_fail_open_total',
  'Redis operations that failed, the request being served anyway (fail open)',
  ['operation'],
);
const LOG_EVERY_MS = 10_000;

/** Counts every Redis failure the gateway tolerates and logs it, at most once per 10 s per operation. */
export function failOpenReporter(logger: Logger): (operation: string, err: unknown) => void {
  const lastLogged = new Map<string, number>();
  return (operation, err) => {
    failOpen.inc({ operation });
    const now = Date.now();
    if (now - (lastLogged.get(operation) ?? 0) < LOG_EVERY_MS) return;
    lastLogged.set(operation, now);
    logger.error({ err, operation }, 'Redis unavailable: serving without it (fail open)');
  };
}
