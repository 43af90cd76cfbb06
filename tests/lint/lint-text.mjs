// Lints source texts with the repository's eslint.config.mjs through the ESLint Node API, keeping
// only the layering rules. Input on stdin: [{ filePath, code }]; output: one list of
// "rule: message" per input. A separate process because ESLint loads its configuration with a
// dynamic import(), which jest's module sandbox refuses.
import { ESLint } from 'eslint';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({
  cwd: root,
  // The import rules need no type information (and a path that is no file has no TypeScript program).
  overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: false } } },
  ruleFilter: ({ ruleId }) => ruleId.startsWith('boundaries/'),
});

let input = '';
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const { filePath, code } of JSON.parse(input)) {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  results.push(result.messages.map((m) => `${m.ruleId ?? 'parser'}: ${m.message}`));
}
process.stdout.write(JSON.stringify(results));
