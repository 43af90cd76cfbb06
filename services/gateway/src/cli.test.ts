import { expiryFrom, runCli, USAGE } from './cli';
import { loadGatewayConfig } from './config';

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  // commands that fail on their arguments never open the database
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t) }, () => loadGatewayConfig({}));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('expiryFrom', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it.each([
    ['30d', '2026-01-31T00:00:00.000Z'],
    ['12h', '2026-01-01T12:00:00.000Z'],
    ['45m', '2026-01-01T00:45:00.000Z'],
    ['2027-05-01T00:00:00Z', '2027-05-01T00:00:00Z'],
    ['soon', 'soon'],
  ])('%s → %s', (input, expected) => {
    expect(expiryFrom(input, now)).toBe(expected);
  });
});

describe('runCli argument handling', () => {
  it('--help prints the usage and succeeds', async () => {
    const res = await cli('--help');
    expect(res.code).toBe(0);
    expect(res.out).toBe(USAGE);
  });

  it('no command prints the usage and exits 2', async () => {
    expect((await cli()).code).toBe(2);
  });

  it.each([
    [['nope'], 'unknown command "nope"'],
    [['workspace', 'rename'], 'unknown command "workspace rename"'],
    [['workspace', 'list', '--verbose'], "Unknown option '--verbose'"],
    [['workspace', 'create', '--name'], "Option '--name <value>' argument missing"],
  ])('%j exits 2: %s', async (argv, message) => {
    const res = await cli(...argv);
    expect(res.code).toBe(2);
    expect(res.err).toContain(message);
  });
});
