// `{{path}}` templating of webhook reply actions: a placeholder is replaced by the value at a dotted path
// (`data.sender.pn`, `data.mentions.0`, `data.mentions[0]`) of plain JSON data. Only own properties are read,
// so `__proto__`, `constructor` and friends render '' like any unknown path; nothing is ever evaluated.

export type TemplateContext = Readonly<Record<string, unknown>>;

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

function segmentsOf(path: string): string[] {
  return path.replace(/\[(\d+)\]/g, '.$1').split('.');
}

/** The value at `path`, or undefined when any step is missing, inherited or forbidden. */
export function lookup(context: unknown, path: string): unknown {
  let value = context;
  for (const segment of segmentsOf(path.trim())) {
    if (segment === '' || FORBIDDEN.has(segment)) return undefined;
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/** How a value reads inside text: strings as they are, objects as JSON, nothing as ''. */
export function textOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function renderText(template: string, context: TemplateContext): string {
  return template.replace(PLACEHOLDER, (_, path: string) => textOf(lookup(context, path)));
}

/** Renders every string inside `value` (arrays and objects included); other JSON values stay as they are. */
export function renderDeep(value: unknown, context: TemplateContext): unknown {
  if (typeof value === 'string') return renderText(value, context);
  if (Array.isArray(value)) return value.map((item) => renderDeep(item, context));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renderDeep(item, context)]));
  }
  return value;
}
