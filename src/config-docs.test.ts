// Keeps the README's configuration table in step with the settings defined in config.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { configTableMarkdown } from './config-table.js';

test('the README configuration table is the one the settings render: each once, with its default and description', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const expected = configTableMarkdown();
  const start = readme.indexOf(expected.split('\n')[0]!);
  assert.ok(start >= 0, 'the README has no configuration table');
  const end = readme.indexOf('\n\n', start);
  assert.equal(readme.slice(start, end === -1 ? undefined : end), expected, 'the README table is stale: regenerate it with npx tsx scripts/config-table.ts');
});
