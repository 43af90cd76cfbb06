import { execFileSync } from 'node:child_process';
import path from 'node:path';

/**
 * The layering rules of eslint.config.mjs bite: source text with a forbidden import, linted as if
 * it sat at a path inside a service, is reported; the same text with an allowed import is not. The
 * fixtures are strings here, never files, so the normal lint run never sees them. The imports reach
 * real files of the repository (the rules judge the file an import resolves to).
 */
const forbidden: Array<[string, string, string, RegExp]> = [
  ['app → infra', 'services/catalog/src/app/fixture.ts', "import { imported } from '../infra/tables';", /app\/ imports domain\//],
  ['app → http', 'services/catalog/src/app/fixture.ts', "import { imported } from '../http/views';", /app\/ imports domain\//],
  ['domain → app', 'services/catalog/src/domain/fixture.ts', "import { imported } from '../app/ports';", /domain\/ imports only domain\//],
  ['http → infra', 'services/catalog/src/http/fixture.ts', "import { imported } from '../infra/tables';", /http\/ .*never imports infra/],
  ['http → main.ts', 'services/catalog/src/http/fixture.ts', "import { imported } from '../main';", /http\/ .*never imports infra/],
  ['service → another service', 'services/catalog/src/app/fixture.ts', "import { imported } from '../../../partner/src/domain/ids';", /never imports another service/],
  ['lib → service', 'libs/db/src/fixture.ts', "import { imported } from '../../../services/catalog/src/domain/ids';", /library never imports a service/],
  ['an unlisted file in src/ → infra', 'services/catalog/src/helpers.ts', "import { imported } from './infra/tables';", /only the wiring files/],
];
const allowed: Array<[string, string, string]> = [
  ['app → domain', 'services/catalog/src/app/fixture.ts', "import { imported } from '../domain/ids';"],
  ['app → its ports', 'services/catalog/src/app/fixture.ts', "import { imported } from './ports';"],
  ['app → a lib', 'services/catalog/src/app/fixture.ts', "import { imported } from '@hop/errors';"],
  ['http → app', 'services/catalog/src/http/fixture.ts', "import { imported } from '../app/resources';"],
  ['infra → app ports', 'services/catalog/src/infra/fixture.ts', "import { imported } from '../app/ports';"],
  ['main.ts → infra', 'services/catalog/src/main.ts', "import { imported } from './infra/tables';"],
];

const errors = new Map<string, string[]>();
beforeAll(() => {
  const cases = [...forbidden, ...allowed].map(([, filePath, importLine]) => ({
    filePath,
    code: `${importLine}\nexport const used = imported;\n`,
  }));
  const out = execFileSync(process.execPath, [path.join(__dirname, 'lint-text.mjs')], {
    input: JSON.stringify(cases),
    encoding: 'utf8',
  });
  (JSON.parse(out) as string[][]).forEach((messages, i) => errors.set([...forbidden, ...allowed][i][0], messages));
}, 60_000);

describe('the layering lint rules', () => {
  it.each(forbidden)('reports %s', (name, _filePath, _importLine, message) => {
    expect(errors.get(name)).toEqual([expect.stringMatching(message)]);
    expect(errors.get(name)?.[0]).toMatch(/^boundaries\/dependencies: /);
  });

  it.each(allowed)('allows %s', (name) => {
    expect(errors.get(name)).toEqual([]);
  });
});
