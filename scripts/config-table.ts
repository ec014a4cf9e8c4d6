// Prints the configuration table (markdown) from the settings in src/config.ts, for the README.
import { CONFIG_TABLE } from '../src/config.js';

const escape = (text: string) => text.replace(/\|/g, '\\|');
console.log('| Variable | Flag | Default | Description |');
console.log('| --- | --- | --- | --- |');
for (const row of CONFIG_TABLE) {
  const fallback = row.default !== undefined ? `\`${row.default}\`` : escape(row.whenUnset ?? 'unset');
  console.log(`| \`${row.env}\` | ${row.flag ? `\`${row.flag}\`` : ''} | ${fallback} | ${escape(row.description)} |`);
}
