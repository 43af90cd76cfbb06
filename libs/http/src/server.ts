import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@hop/telemetry';

export interface RunningServer {
  server: http.Server;
  port: number;
  url: string;
  /** Stops accepting, lets in-flight requests finish (up to the timeout), then runs `onClose`. */
  close(): Promise<void>;
}

export interface ServeOptions {
  port: number;
  host?: string;
  logger: Logger;
  shutdownTimeoutMs?: number;
  /** Releases the service's resources (DB, Redis, Kafka) after the server stopped. */
  onClose?: () => Promise<void>;
}

export async function serve(handler: http.RequestListener, options: ServeOptions): Promise<RunningServer> {
  const server = http.createServer(handler);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;

  const close = () =>
    (closing ??= (async () => {
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          options.logger.warn('shutdown timeout: closing remaining connections');
          server.closeAllConnections();
          resolve();
        }, options.shutdownTimeoutMs ?? 10_000);
      });
      await Promise.race([drained, timeout]);
      clearTimeout(timer);
      await options.onClose?.();
    })());

  return { server, port, url: `http://127.0.0.1:${port}`, close };
}

/** SIGTERM/SIGINT → graceful close, then exit. For main.ts only. */
export function closeOnSignals(close: () => Promise<void>, logger: Logger): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    close().then(
      () => process.exit(0),
      (err) => {
        logger.error({ err }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
