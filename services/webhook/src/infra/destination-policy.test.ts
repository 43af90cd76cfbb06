import { DestinationPolicy, parseCidr } from './destination-policy';

describe('DestinationPolicy', () => {
  const strict = new DestinationPolicy([]);

  it.each([
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.0.10', 'private'],
    ['100.100.100.100', 'shared (CGNAT)'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['fe80::1', 'link-local'],
    ['fd12:3456::1', 'private (unique local)'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
  ])('refuses %s (%s)', (address, reason) => {
    expect(strict.refusal(address)).toBe(reason);
  });

  it.each(['93.184.215.14', '8.8.8.8', '2606:2800:220:1:248:1893:25c8:1946', '172.32.0.1'])('allows public %s', (address) => {
    expect(strict.refusal(address)).toBeNull();
  });

  it('allows configured ranges', () => {
    const dev = new DestinationPolicy(['127.0.0.0/8', '::1/128']);
    expect(dev.refusal('127.0.0.1')).toBeNull();
    expect(dev.refusal('::1')).toBeNull();
    expect(dev.refusal('10.0.0.1')).toBe('private');
  });

  it('rejects a malformed range at start-up', () => {
    expect(() => new DestinationPolicy(['127.0.0.0/33'])).toThrow('not an address range: 127.0.0.0/33');
    expect(parseCidr('10.0.0.1')).toEqual({ address: '10.0.0.1', prefix: 32, family: 'ipv4' });
  });
});
