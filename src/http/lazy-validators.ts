// Route validators compiled on a route's first request instead of at boot. Fastify compiles the schema of every
// route when the app starts; with hundreds of routes Ajv allocates about 90 MB doing so and keeps every compiled
// validator, most of which an idle gateway never runs. A schema Ajv cannot compile now fails its first request
// (500 in the envelope) instead of the boot.
import type { FastifyServerOptions } from 'fastify';

type AjvInstance = Parameters<NonNullable<NonNullable<FastifyServerOptions['ajv']>['onCreate']>>[0];
type Validate = ((this: unknown, data: unknown, dataCxt?: unknown) => unknown) & Record<string, unknown>;

/** Fastify reads these from a validator (`schemaEnv` decides whether it passes the parent, for coercing a root value). */
const FORWARDED = ['errors', 'schema', 'schemaEnv', 'source', 'evaluated', '$async'] as const;

function compileOnFirstUse(compile: () => Validate): Validate {
  let compiled: Validate | undefined;
  const validator = () => (compiled ??= compile());
  const lazy = function (this: unknown, data: unknown, dataCxt?: unknown) {
    return validator().call(this, data, dataCxt);
  } as Validate;
  for (const key of FORWARDED) Object.defineProperty(lazy, key, { get: () => validator()[key], enumerable: true });
  return lazy;
}

/** For Fastify's `ajv.onCreate`, after any hook that wraps `compile`: the wrapped compile then runs on first use. */
export function compileValidatorsLazily(ajv: AjvInstance): void {
  const compile = ajv.compile.bind(ajv) as unknown as (schema: unknown, meta?: boolean) => Validate;
  (ajv as unknown as { compile: typeof compile }).compile = (schema, meta) => compileOnFirstUse(() => compile(schema, meta));
}
