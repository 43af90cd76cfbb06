import { mayManageRole, ROLE_SCOPES } from './roles';
import { SCOPES } from './scopes';

describe('ROLE_SCOPES (the README table)', () => {
  it('owners and admins hold every scope', () => {
    expect(ROLE_SCOPES.owner).toEqual([...SCOPES]);
    expect(ROLE_SCOPES.admin).toEqual([...SCOPES]);
  });
  it('members work on content, see members and domains, but manage neither keys, members, domains nor webhooks nor read the audit log', () => {
    expect(ROLE_SCOPES.member).toEqual([
      'linksRead', 'linksWrite', 'collectionsRead', 'collectionsWrite', 'tagsRead', 'tagsWrite', 'analyticsRead',
      'conversionsWrite', 'customersRead', 'partnersRead', 'partnersWrite', 'domainsRead', 'membersRead',
    ]);
  });
  it('viewers only read content, members and domains', () => {
    expect(ROLE_SCOPES.viewer).toEqual(['linksRead', 'collectionsRead', 'tagsRead', 'analyticsRead', 'customersRead', 'partnersRead', 'domainsRead', 'membersRead']);
  });
});

describe('mayManageRole', () => {
  it.each([
    ['owner', 'owner', true],
    ['owner', 'viewer', true],
    ['admin', 'admin', true],
    ['admin', 'member', true],
    ['admin', 'owner', false],
    ['member', 'viewer', false],
    ['viewer', 'viewer', false],
  ] as const)('%s → %s: %s', (actor, role, allowed) => {
    expect(mayManageRole(actor, role)).toBe(allowed);
  });
});
