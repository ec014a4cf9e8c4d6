// The README's configuration table (markdown), rendered from the settings in config.ts.
import { CONFIG_TABLE } from './config.js';

const escape = (text: string) => text.replace(/\|/g, '\\|');

export function configTableMarkdown(): string {
  const rows = CONFIG_TABLE.map((row) => {
    const fallback = row.default !== undefined ? `\`${row.default}\`` : escape(row.whenUnset ?? 'unset');
    return `| \`${row.env}\` | ${row.flag ? `\`${row.flag}\`` : ''} | ${fallback} | ${escape(row.description)} |`;
  });
  return ['| Variable | Flag | Default | Description |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
