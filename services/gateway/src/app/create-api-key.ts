import { randomUUID } from 'node:crypto';
import Joi from 'joi';
import { validate } from '@hop/http';
import { generateKey } from '../domain/api-key';
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

export async function createApiKey(
  deps: Pick<AdminDeps, 'workspaces' | 'keys'>,
  workspaceId: string,
  input: unknown,
): Promise<CreatedKey> {
  requireUuid('workspaceId', workspaceId);
  const body = validate(schema, input) as { name: string; scopes?: string[]; allScopes?: boolean; expiresAt: Date | null };
  if (!(await deps.workspaces.get(workspaceId))) throw workspaceNotFound(workspaceId);
  const { key, prefix, hash } = generateKey();
  const apiKey: ApiKey = {
    id: randomUUID(),
    workspaceId,
    name: body.name,
    prefix,
    scopes: body.allScopes ? [...SCOPES] : body.scopes!,
    createdAt: new Date(),
    lastUsedAt: null,
    expiresAt: body.expiresAt,
    revokedAt: null,
  };
  await deps.keys.insert({ ...apiKey, hash });
  return { apiKey, key };
}
