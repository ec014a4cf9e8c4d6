// Keeps the README's configuration table in step with the settings defined in config.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CONFIG_TABLE } from './config.js';

test('every setting is documented in the README configuration table, with its default', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  for (const row of CONFIG_TABLE) {
    const line = readme.split('\n').find((l) => l.startsWith(`| \`${row.env}\` |`));
    assert.ok(line, `${row.env} is missing from the README table (regenerate it: npx tsx scripts/config-table.ts)`);
    if (row.default !== undefined) assert.ok(line.includes(`\`${row.default}\``), `${row.env}'s default in the README is not ${row.default}`);
  }
});
