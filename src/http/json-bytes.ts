// JSON as bytes for answers that hold long lists. JSON.stringify returns a large value's text (over 128 KB) as a
// string V8 (Node 20) is slow to read the first time, about 4 ns a character, and Fastify reads an answer twice
// (its byte length, then the write): for a list of 1,000 sessions that cost more than making the JSON. Long arrays
// are stringified a slice at a time instead, each slice far under that size, and the slices joined as bytes.
const SLICE = 100;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null);

/** The same text as `JSON.stringify(value)`, as UTF-8 bytes. */
export function jsonBytes(value: unknown): Buffer {
  const chunks: Buffer[] = [];
  let text = '';
  const flush = () => {
    chunks.push(Buffer.from(text));
    text = '';
  };
  const write = (item: unknown): void => {
    if (Array.isArray(item) && item.length > SLICE) {
      text += '[';
      for (let i = 0; i < item.length; i += SLICE) {
        text += `${i ? ',' : ''}${JSON.stringify(item.slice(i, i + SLICE)).slice(1, -1)}`;
        flush();
      }
      text += ']';
    } else if (Array.isArray(item)) {
      text += '[';
      item.forEach((element, i) => {
        if (i) text += ',';
        // As JSON.stringify does: what has no JSON form is null in an array.
        if (element === undefined || typeof element === 'function' || typeof element === 'symbol') text += 'null';
        else write(element);
      });
      text += ']';
    } else if (isPlainObject(item) && typeof item.toJSON !== 'function') {
      text += '{';
      let first = true;
      for (const [key, field] of Object.entries(item)) {
        if (field === undefined || typeof field === 'function' || typeof field === 'symbol') continue;
        text += `${first ? '' : ','}${JSON.stringify(key)}:`;
        first = false;
        write(field);
      }
      text += '}';
    } else {
      text += JSON.stringify(item);
    }
  };
  write(value);
  flush();
  return Buffer.concat(chunks);
}
