import { planGateViolations } from './plan-gates';

describe('planGateViolations', () => {
  const all = ['linkExpiration', 'passwordProtection', 'linkCloaking', 'deviceTargeting', 'geoTargeting'];

  it.each([
    ['expiresAt', new Date(), 'linkExpiration'],
    ['expiredUrl', 'https://x.test', 'linkExpiration'],
    ['password', 'p', 'passwordProtection'],
    ['cloaked', true, 'linkCloaking'],
    ['ios', 'https://x.test', 'deviceTargeting'],
    ['android', 'https://x.test', 'deviceTargeting'],
    ['geo', { SA: 'https://x.test' }, 'geoTargeting'],
  ])('setting %s needs %s', (field, value, feature) => {
    const others = all.filter((f) => f !== feature);
    expect(planGateViolations([{ title: 'a' }, { [field]: value }], others)).toEqual([{ index: 1, field, feature }]);
    expect(planGateViolations([{ [field]: value }], all)).toEqual([]);
  });

  it('clearing needs no feature', () => {
    expect(planGateViolations([{ expiresAt: null, expiredUrl: null, password: null, cloaked: false, ios: null, android: null, geo: {} }], [])).toEqual([]);
    expect(planGateViolations([{ cloaked: null, geo: null }], [])).toEqual([]);
  });
});
