import { hashKey } from '../domain/api-key';
import { authorizeKey, type KeyProblem, type KeyRecord, type Principal } from '../domain/principal';
import { unmeteredDecision, type RateLimitDecision } from '../domain/rate-limit';
import type { ApiKeyStore, GatePass, KeyCache, KeyHints, RequestGate } from './ports';

export interface AdmitDeps {
  keys: ApiKeyStore;
  keyCache: KeyCache;
  gate: RequestGate;
  hints: KeyHints;
  /** A Redis step failed; the request goes on without it (fail open). */
  onRedisFailure: (operation: 'gate' | 'key-cache' | 'rate-limit' | 'auth-guard', err: unknown) => void;
}

export type Admission =
  | { principal: Principal; decision: RateLimitDecision }
  | { problem: KeyProblem | 'malformed' }
  | { blockedFor: number };

/**
 * Authenticates a credential presented from `ip` (`key` null when malformed) and counts the
 * request against its workspace's rate limit.
 *
 * A key's workspace never changes, so once this process has seen a key it checks the address's
 * block, reads the cached key and counts the request in one Redis round trip; if the key turns
 * out invalid or its limit changed, that count is taken back and the request counted again as
 * it should be. Malformed and unknown keys count as failed attempts of the address and are never
 * cached; revoked or expired keys are real keys, not guesses, and do not count. An address past
 * its failure limit gets `blockedFor` for its failing attempts only (a malformed key without a
 * database lookup): a valid key is admitted whatever its address did, so one client guessing
 * behind a shared address never locks out the others.
 */
export async function admitRequest(deps: AdmitDeps, ip: string, key: string | null, now = new Date()): Promise<Admission> {
  const hash = key === null ? null : hashKey(key);
  const expected = hash === null ? undefined : deps.hints.get(hash);
  let gateFailed = false;
  const pass: GatePass = await deps.gate.pass(ip, hash, expected).catch((err) => {
    deps.onRedisFailure('gate', err);
    gateFailed = true;
    return { blockedFor: 0, cached: undefined };
  });

  const takeBack = async () => {
    if (pass.counted && expected) {
      await deps.gate.refund(expected.workspaceId, pass.counted.ticket).catch((err) => deps.onRedisFailure('rate-limit', err));
    }
  };
  /** A guess: counted against the address, or refused as throttled once the address is blocked. */
  const failed = async (problem: 'malformed' | 'unknown'): Promise<Admission> => {
    if (pass.blockedFor > 0) return { blockedFor: pass.blockedFor };
    await deps.gate.recordFailure(ip).catch((err) => deps.onRedisFailure('auth-guard', err));
    return { problem };
  };

  if (hash === null) return failed('malformed');
  const record: KeyRecord | null = pass.cached ?? (await lookUpAndCache(deps, hash));
  const outcome = authorizeKey(record, now);
  if ('problem' in outcome) {
    await takeBack();
    deps.hints.delete(hash);
    return outcome.problem === 'unknown' ? failed('unknown') : outcome;
  }

  const { principal } = outcome;
  const limit = principal.limits.requestsPerMinute;
  let decision = pass.counted?.decision;
  if (gateFailed && expected) {
    // A timed-out pass may still have counted the request in Redis: counting it again would spend
    // the workspace's pool twice. Fail open once instead.
    decision = unmeteredDecision(limit);
  } else if (!decision || expected?.workspaceId !== principal.workspaceId || expected.limit !== limit) {
    await takeBack();
    decision = await deps.gate.consume(principal.workspaceId, limit).catch((err) => {
      deps.onRedisFailure('rate-limit', err);
      return unmeteredDecision(limit);
    });
  }
  deps.hints.set(hash, { workspaceId: principal.workspaceId, limit });
  return { principal, decision };
}

async function lookUpAndCache(deps: AdmitDeps, hash: string): Promise<KeyRecord | null> {
  const record = await deps.keys.findRecordByHash(hash);
  if (record) await deps.keyCache.fill(hash, record).catch((err) => deps.onRedisFailure('key-cache', err));
  return record;
}
