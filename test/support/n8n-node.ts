// The WARest n8n node as the contract tests drive it (api-compat §1.2-1.6): a request built from the action's
// table row exactly as the node builds it, and the WARest envelope `{status, code, message, results}` its answer
// must be. Each contract test keeps its own action table (what the node sends for that resource) and passes it in.
import assert from 'node:assert/strict';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One row of the node's action table: `[operation, method, route, fields]`; `{name}` in the route is a path param. */
export type N8nAction<Operation extends string = string> = readonly [operation: Operation, method: HttpMethod, route: string, fields: readonly string[]];

/** A set of values the node sends besides the table fields (Additional Fields, an option group). */
export type Fields = Record<string, unknown>;

/** What the node answered: the HTTP status and the parsed JSON body. */
export interface N8nAnswer {
  status: number;
  body: any;
}

export interface N8nCallOptions {
  /**
   * Additional Fields merged in after the table fields: one object, or the option groups the node flattens in
   * order (later groups overwrite equal keys). Empty values are dropped from each before merging, so an empty one
   * never overwrites a table field.
   */
  extra?: Fields | readonly Fields[];
  /** Last touches the node makes to the merged fields of some operations (renames, nesting), in place; `extra` is the merged Additional Fields. */
  reshape?: (operation: string, fields: Fields, extra: Fields) => void;
}

/** The node leaves out undefined, null and '' (but sends false and 0). */
export const isEmpty = (value: unknown): boolean => value === undefined || value === null || value === '';

/** The non-empty entries of `group`. */
export const sanitize = (group: Fields): Fields => Object.fromEntries(Object.entries(group).filter(([, value]) => !isEmpty(value)));

/**
 * What the n8n node does for one operation: finds its row in `actions`, substitutes the URI-encoded path params,
 * takes the table fields from `values` and merges `extra` in (empty values dropped), then sends them as the query
 * string of a GET or the JSON body of anything else (DELETE included), with both auth headers. The answer must be JSON.
 */
export async function n8nCall<Action extends N8nAction>(
  actions: readonly Action[],
  baseUrl: string,
  apiKey: string,
  operation: Action[0],
  values: Fields,
  options: N8nCallOptions = {}
): Promise<N8nAnswer> {
  const row = actions.find(([op]) => op === operation);
  assert.ok(row, `${operation} is in the action table`);
  const [, method, route, fieldNames] = row;
  const path = route.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(values[name])));
  const groups: readonly Fields[] = options.extra === undefined ? [] : Array.isArray(options.extra) ? options.extra : [options.extra as Fields];
  const extra: Fields = Object.assign({}, ...groups.map(sanitize));
  const fields: Fields = { ...sanitize(Object.fromEntries(fieldNames.map((name) => [name, values[name]]))), ...extra };
  options.reshape?.(operation, fields, extra);
  const headers: Record<string, string> = { 'X-WAREST-API-KEY': apiKey, Authorization: `Bearer ${apiKey}`, Accept: 'application/json' };
  let url = `${baseUrl}/api/v1${path}`;
  let body: string | undefined;
  if (method === 'GET') {
    const query = new URLSearchParams(Object.entries(fields).map(([key, value]) => [key, String(value)]));
    if ([...query].length) url += `?${query}`;
  } else {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(fields);
  }
  const response = await fetch(url, { method, headers, body });
  assert.match(response.headers.get('content-type') ?? '', /application\/json/, `${operation} answers JSON`);
  return { status: response.status, body: (await response.json()) as any };
}

/**
 * The WARest envelope: HTTP `status` (default 200), exactly the keys status/code/message/results, `status` true
 * for a 2xx only, the app `code` (default 1000), a string message (equal to `message` when given), `results` an
 * array, of exactly `count` results on a 2xx (default 1; Send Files answers one per file). Returns `results[0]`.
 */
export function enveloped(operation: string, answer: N8nAnswer, status = 200, code = 1000, message?: string, count = 1): any {
  const where = `${operation}: ${JSON.stringify(answer.body).slice(0, 500)}`;
  const ok = status >= 200 && status < 300;
  assert.equal(answer.status, status, where);
  assert.deepEqual(Object.keys(answer.body).sort(), ['code', 'message', 'results', 'status'], where);
  assert.equal(answer.body.status, ok, where);
  assert.equal(answer.body.code, code, where);
  assert.equal(typeof answer.body.message, 'string', where);
  if (message !== undefined) assert.equal(answer.body.message, message, where);
  assert.ok(Array.isArray(answer.body.results), where);
  if (ok) assert.equal(answer.body.results.length, count, where);
  return answer.body.results[0];
}

/** `result` has every one of `names` (its value may be null). */
export function hasFields(operation: string, result: Record<string, unknown>, names: readonly string[]): void {
  for (const name of names) assert.ok(name in result, `${operation} result has ${name}: ${JSON.stringify(result).slice(0, 300)}`);
}
