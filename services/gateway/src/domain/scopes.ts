/** Permission scopes exactly as the Hoko API Keys page lists them, then Hop's own additions (webhooks). */
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
  'webhooksRead',
  'webhooksWrite',
] as const;
export type Scope = (typeof SCOPES)[number];

export const isScope = (value: string): value is Scope => (SCOPES as readonly string[]).includes(value);

/** Every scope `required` lists that `granted` lacks (empty when allowed). */
export const missingScopes = (required: readonly Scope[], granted: readonly string[]): Scope[] =>
  required.filter((scope) => !granted.includes(scope));
