import type Redis from 'ioredis';
import type { LoginThrottle } from '../app/ports';

export interface LoginThrottleLimits {
  /** Failed sign-ins of one account from one address per window. */
  perAccount: number;
  /** Failed sign-ins from one address, whatever the accounts, per window. */
  perAddress: number;
  windowSeconds: number;
}

/**
 * `loginfail:<accountKey>:<ip>` and `loginfail:<ip>` (docs/internal-contracts.md), fixed windows.
 * Kept apart from the API keys' `authfail:<ip>`: failed sign-ins never slow down a valid key, and an
 * account is throttled from the guessing address only, so nobody can lock its owner out.
 */
export class RedisLoginThrottle implements LoginThrottle {
  constructor(
    private readonly redis: Redis,
    private readonly limits: LoginThrottleLimits,
  ) {}

  private keys(accountKey: string, ip: string): [string, string] {
    return [`loginfail:${accountKey}:${ip}`, `loginfail:${ip}`];
  }

  async blockedFor(accountKey: string, ip: string): Promise<number> {
    const [accountAtAddress, address] = this.keys(accountKey, ip);
    const reply = await this.redis.multi().get(accountAtAddress).get(address).ttl(accountAtAddress).ttl(address).exec();
    const [account, any, accountTtl, addressTtl] = (reply ?? []).map(([, value]) => Number(value ?? 0));
    const waits = [
      ...(account >= this.limits.perAccount ? [accountTtl] : []),
      ...(any >= this.limits.perAddress ? [addressTtl] : []),
    ];
    return waits.length ? Math.max(1, ...waits) : 0;
  }

  async recordFailure(accountKey: string, ip: string): Promise<void> {
    const transaction = this.redis.multi();
    for (const key of this.keys(accountKey, ip)) transaction.incr(key).expire(key, this.limits.windowSeconds, 'NX');
    await transaction.exec();
  }

  async clear(accountKey: string, ip: string): Promise<void> {
    await this.redis.del(this.keys(accountKey, ip)[0]);
  }
}
