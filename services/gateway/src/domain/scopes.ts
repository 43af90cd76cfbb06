/**
 * Permission scopes: the Hoko API Keys page's, then Hop's own additions: domains, the access
 * context's (keys, members and invitations, audit log) and webhooks.
 */
export const SCOPES = [
  'linksRead',
  'linksWrite',
  'collectionsRead',
  'collectionsWrite',
  'tagsRead',
  'tagsWrite',
  'analyticsRead',
  'conversionsWrite',
  'customersRead',
  'partnersRead',
  'partnersWrite',
  'domainsRead',
  'domainsWrite',
  'keysRead',
  'keysWrite',
  'membersRead',
  'membersWrite',
  'auditLogRead',
  'webhooksRead',
  'webhooksWrite',
] as const;
export type Scope = (typeof SCOPES)[number];

export const isScope = (value: string): value is Scope => (SCOPES as readonly string[]).includes(value);

/** Every scope `required` lists that `granted` lacks (empty when allowed). */
export const missingScopes = (required: readonly Scope[], granted: readonly string[]): Scope[] =>
  required.filter((scope) => !granted.includes(scope));
