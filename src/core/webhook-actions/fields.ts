// Readers of a rendered action entry's fields (JSON as the receiver wrote it, placeholders filled in): the first
// of several accepted names wins, numbers may come as numeric text, lists as arrays or comma-separated text.

export type Fields = Readonly<Record<string, unknown>>;

/** Why an entry cannot run, in words that say what to fix. */
export class InvalidAction extends Error {
  override readonly name = 'InvalidAction';
}

export function isFields(value: unknown): value is Fields {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function first(entry: Fields, names: readonly string[]): [name: string, value: unknown] | undefined {
  for (const name of names) {
    if (Object.hasOwn(entry, name) && entry[name] !== undefined && entry[name] !== null) return [name, entry[name]];
  }
  return undefined;
}

/** Text, or undefined when absent or empty. */
export function readText(entry: Fields, ...names: string[]): string | undefined {
  const found = first(entry, names);
  if (!found) return undefined;
  const [name, value] = found;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') throw new InvalidAction(`${name} must be text`);
  return value === '' ? undefined : value;
}

export function requireText(entry: Fields, ...names: string[]): string {
  const text = readText(entry, ...names);
  if (text === undefined) throw new InvalidAction(`${names[0]} is required`);
  return text;
}

export function readNumber(entry: Fields, ...names: string[]): number | undefined {
  const found = first(entry, names);
  if (!found) return undefined;
  const [name, value] = found;
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(number)) throw new InvalidAction(`${name} must be a number`);
  return number;
}

/** A whole number of at least 0 (milliseconds, counts). */
export function readCount(entry: Fields, ...names: string[]): number | undefined {
  const number = readNumber(entry, ...names);
  if (number !== undefined && (!Number.isInteger(number) || number < 0)) throw new InvalidAction(`${names[0]} must be a whole number, 0 or more`);
  return number;
}

export function readList(entry: Fields, ...names: string[]): string[] | undefined {
  const found = first(entry, names);
  if (!found) return undefined;
  const [name, value] = found;
  const items = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : undefined;
  if (!items?.every((item) => typeof item === 'string' || typeof item === 'number')) throw new InvalidAction(`${name} must be a list of texts`);
  return items.map((item) => String(item).trim()).filter((item) => item !== '');
}

export function readObjects(entry: Fields, ...names: string[]): Fields[] | undefined {
  const found = first(entry, names);
  if (!found) return undefined;
  const [name, value] = found;
  const items = Array.isArray(value) ? value : [value];
  if (!items.every(isFields)) throw new InvalidAction(`${name} must be an object or a list of objects`);
  return items;
}
