import { randomUUID } from 'node:crypto';
import Joi from 'joi';
import { DomainError } from '@hop/errors';
import { validate } from '@hop/http';
import { generateKey } from '../domain/api-key';
import { auditEntry, OPERATOR_CALLER, type Caller } from '../domain/audit';
import { SCOPES } from '../domain/scopes';
import type { AdminDeps, ApiKey } from './ports';
import { keyFields, requireUuid } from './schemas';
import { workspaceNotFound } from './update-workspace';

const schema = Joi.object({
  name: keyFields.name.required(),
  scopes: keyFields.scopes,
  allScopes: keyFields.allScopes,
  expiresAt: keyFields.expiresAt.default(null),
})
  .xor('scopes', 'allScopes')
  .messages({ 'object.xor': 'give either scopes or allScopes', 'object.missing': 'give scopes or allScopes: true' });

export interface CreatedKey {
  apiKey: ApiKey;
  /** The secret: returned once, never stored. */
  key: string;
}

/**
 * Creates a key (operator: CLI, admin API; or a user/key over POST /api/keys). A caller over the
 * API never grants a scope it lacks itself (403 naming them). Audited with the key.
 */
export async function createApiKey(
  deps: Pick<AdminDeps, 'workspaces' | 'access'>,
  workspaceId: string,
  input: unknown,
  caller: Caller = OPERATOR_CALLER,
): Promise<CreatedKey> {
  requireUuid('workspaceId', workspaceId);
  const body = validate(schema, input) as { name: string; scopes?: string[]; allScopes?: boolean; expiresAt: Date | null };
  if (!(await deps.workspaces.get(workspaceId))) throw workspaceNotFound(workspaceId);
  const scopes = body.allScopes ? [...SCOPES] : body.scopes!;
  const beyondCaller = caller.scopes ? scopes.filter((s) => !caller.scopes!.includes(s)) : [];
  if (beyondCaller.length) throw new DomainError('MISSING_SCOPES', { extra: { missingScopes: beyondCaller } });
  const { key, prefix, hash } = generateKey();
  const apiKey: ApiKey = {
    id: randomUUID(),
    workspaceId,
    name: body.name,
    prefix,
    scopes,
    createdAt: new Date(),
    lastUsedAt: null,
    expiresAt: body.expiresAt,
    revokedAt: null,
    createdBy: caller.actor.type === 'operator' ? null : { type: caller.actor.type, id: caller.actor.id },
  };
  await deps.access.transaction(async (tx) => {
    await tx.keys.insert({ ...apiKey, hash });
    await tx.appendAudit(
      auditEntry(workspaceId, caller, 'key.created', { type: 'key', id: apiKey.id }, { name: apiKey.name, prefix, scopes, expiresAt: apiKey.expiresAt }),
    );
  });
  return { apiKey, key };
}
