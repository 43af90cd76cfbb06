import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { DomainError } from '@hop/errors';
import type { Logger } from '@hop/telemetry';
import { toHttpError } from './errors';

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

/** Node's limit on the request line and headers together (16 KB unless --max-http-header-size says otherwise). */
export const MAX_HEADER_BYTES = http.maxHeaderSize;

const CLIENT_ERROR_LINGER_MS = 5_000;
const METHOD_THEN_SPACE = /^[A-Z]{3,7} /;

/**
 * The answer to a request Node's parser refused before any handler saw it, in the error shape:
 * request line and headers over MAX_HEADER_BYTES → 431 (414 when the request line alone
 * overflowed), a request not received in time → 408, anything else that is not valid HTTP/1.1
 * (e.g. a raw non-ASCII byte in the path) → 400 naming the parser's complaint.
 */
export function clientErrorOf(err: Error & { code?: string; rawPacket?: Buffer }): DomainError {
  const params = { limit: MAX_HEADER_BYTES };
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    const packet = err.rawPacket?.subarray(0, MAX_HEADER_BYTES).toString('latin1') ?? '';
    return new DomainError(METHOD_THEN_SPACE.test(packet) && !packet.includes('\r\n') ? 'URI_TOO_LONG' : 'HEADERS_TOO_LARGE', { params });
  }
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return new DomainError('REQUEST_TIMEOUT');
  const message =
    err.code === 'HPE_INVALID_URL' || err.code === 'HPE_INVALID_METHOD' || err.code === 'HPE_INVALID_VERSION'
      ? 'the request line is not valid HTTP/1.1: percent-encode every byte outside printable ASCII in the path and query'
      : `the request is not valid HTTP/1.1 (${err.code ?? 'unparsable'})`;
  return new DomainError('INVALID_REQUEST', { details: [{ path: 'request', message }] });
}

/**
 * Replaces Node's bare answer (an empty 400/431, or nothing) to requests its parser refused with
 * one in the error shape, while the socket can still take it; the connection is closed after it.
 */
function answerClientError(err: Error & { code?: string; rawPacket?: Buffer }, socket: Duplex): void {
  // A response already on its way on this connection (keep-alive) cannot be followed by another.
  const responding = (socket as Duplex & { _httpMessage?: unknown })._httpMessage;
  if (err.code === 'ECONNRESET' || !socket.writable || responding) return void socket.destroy();
  const { status, body } = toHttpError(clientErrorOf(err));
  const text = JSON.stringify(body);
  // Whatever the client still sends is read and dropped until it closes (at most a few seconds):
  // closing with unread data would reset the connection before it read the answer.
  socket.on('data', () => undefined).resume();
  setTimeout(() => socket.destroy(), CLIENT_ERROR_LINGER_MS).unref();
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(text)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${text}`,
  );
}

export async function serve(handler: http.RequestListener, options: ServeOptions): Promise<RunningServer> {
  const server = http.createServer(handler);
  server.keepAliveTimeout = 65_000;
  server.on('clientError', answerClientError);
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
      (err: unknown) => {
        logger.error({ err }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
