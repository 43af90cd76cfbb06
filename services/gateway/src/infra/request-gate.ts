import { randomBytes } from 'node:crypto';
import type Redis from 'ioredis';
import type { ExpectedWorkspace, GatePass, RequestGate } from '../app/ports';
import type { KeyRecord } from '../domain/principal';
import type { RateLimitDecision } from '../domain/rate-limit';
import { apiKeyCacheKey } from './key-cache';

const WINDOW_MS = 60_000;
const FAILURE_WINDOW_SECONDS = 60;

/**
 * Sliding-window log in one sorted set per workspace: drop entries older than the window,
 * count, admit (add the ticket) only under the limit. Redis's clock is used, so several gateway
 * instances agree; refused requests are not recorded.
 */
const SLIDING_WINDOW = `
local function consume(key, limit, window, ticket)
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local count = redis.call('ZCARD', key)
  local allowed = 0
  if count < limit then
    redis.call('ZADD', key, now, ticket)
    count = count + 1
    allowed = 1
  end
  redis.call('PEXPIRE', key, window)
  local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  local resetAt = now + window
  if oldest[2] then resetAt = tonumber(oldest[2]) + window end
  return {allowed, count, resetAt, now}
end
`;

/**
 * KEYS: authfail:<ip>, apikey:<hash>, rl:<workspace>. ARGV: failure limit, request limit
 * (0 = do not count), window, ticket, read the key (1/0).
 * → {blocked seconds (0 = not blocked), cachedKey|false, counted (1/0), allowed, count, resetAt, now}.
 * A blocked address's key is still read and counted: the block refuses failing attempts only.
 */
const PASS = `${SLIDING_WINDOW}
local failures = tonumber(redis.call('GET', KEYS[1]) or '0')
local blocked = 0
if failures >= tonumber(ARGV[1]) then blocked = math.max(1, redis.call('TTL', KEYS[1])) end
local cached = false
if ARGV[5] == '1' then cached = redis.call('GET', KEYS[2]) end
local limit = tonumber(ARGV[2])
if limit == 0 then return {blocked, cached, 0} end
local d = consume(KEYS[3], limit, tonumber(ARGV[3]), ARGV[4])
return {blocked, cached, 1, d[1], d[2], d[3], d[4]}
`;

/** KEYS: rl:<workspace>. ARGV: limit, window, ticket. */
const CONSUME = `${SLIDING_WINDOW}
return consume(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3])
`;

type Scripted = Redis & {
  hopPass(...args: (string | number)[]): Promise<[number, ...unknown[]]>;
  hopConsume(...args: (string | number)[]): Promise<[number, number, number, number]>;
};

function toDecision([allowed, count, resetAtMs, now]: number[], limit: number): RateLimitDecision {
  return {
    allowed: allowed === 1,
    limit,
    remaining: Math.max(0, limit - count),
    resetAt: Math.ceil(resetAtMs / 1000),
    retryAfter: allowed === 1 ? 0 : Math.max(1, Math.ceil((resetAtMs - now) / 1000)),
  };
}

/** Redis keys (docs/internal-contracts.md): `authfail:<ip>`, `apikey:<hash>`, `rl:<workspaceId>`. */
export class RedisRequestGate implements RequestGate {
  private readonly instance = randomBytes(6).toString('hex');
  private sequence = 0;
  private readonly redis: Scripted;

  constructor(
    redis: Redis,
    private readonly failuresPerMinute: number,
  ) {
    if (!('hopPass' in redis)) {
      redis.defineCommand('hopPass', { numberOfKeys: 3, lua: PASS });
      redis.defineCommand('hopConsume', { numberOfKeys: 1, lua: CONSUME });
    }
    this.redis = redis as Scripted;
  }

  private ticket(): string {
    this.sequence = (this.sequence + 1) % Number.MAX_SAFE_INTEGER;
    return `${this.instance}:${this.sequence}`;
  }

  async pass(ip: string, hash: string | null, expected?: ExpectedWorkspace): Promise<GatePass> {
    const ticket = this.ticket();
    const reply = await this.redis.hopPass(
      `authfail:${ip}`,
      apiKeyCacheKey(hash ?? '-'),
      `rl:${expected?.workspaceId ?? '-'}`,
      this.failuresPerMinute,
      expected?.limit ?? 0,
      WINDOW_MS,
      ticket,
      hash === null ? 0 : 1,
    );
    const [blockedFor, raw, counted, ...decision] = reply;
    return {
      blockedFor,
      cached: typeof raw === 'string' ? (JSON.parse(raw) as KeyRecord) : undefined,
      counted: counted === 1 ? { decision: toDecision(decision as number[], expected!.limit), ticket } : undefined,
    };
  }

  async consume(workspaceId: string, limit: number): Promise<RateLimitDecision> {
    return toDecision(await this.redis.hopConsume(`rl:${workspaceId}`, limit, WINDOW_MS, this.ticket()), limit);
  }

  async refund(workspaceId: string, ticket: string): Promise<void> {
    await this.redis.zrem(`rl:${workspaceId}`, ticket);
  }

  async recordFailure(ip: string): Promise<void> {
    await this.redis.multi().incr(`authfail:${ip}`).expire(`authfail:${ip}`, FAILURE_WINDOW_SECONDS, 'NX').exec();
  }
}
