// bin/waygate, the command `npm start` and the package's `waygate` bin run: it starts dist/main.js with the
// arguments given (and the Node flags of WAYGATE_NODE_ARGS) and caps glibc's malloc arenas at two unless the
// operator set MALLOC_ARENA_MAX. A `node` that
// reports what it was started with stands in for Node on the PATH, so this needs no build.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';

const launcher = resolve('bin/waygate');
const entry = `${realpathSync('bin')}/../dist/main.js`;
const scratch = mkdtempSync(join(tmpdir(), 'waygate-bin-'));
writeFileSync(join(scratch, 'node'), '#!/bin/sh\nprintf "%s\\n" "MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX-unset}" "$@"\n');
chmodSync(join(scratch, 'node'), 0o755);

function run(command: string, env: Record<string, string> = {}): string[] {
  const { MALLOC_ARENA_MAX: _, WAYGATE_NODE_ARGS: __, ...inherited } = process.env;
  return execFileSync(command, ['start', '--sandbox'], { env: { ...inherited, ...env, PATH: `${scratch}:${process.env.PATH}` }, encoding: 'utf8' }).trim().split('\n');
}

describe('bin/waygate', () => {
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('runs dist/main.js with the arguments given, with two malloc arenas by default', () => {
    assert.deepEqual(run(launcher), ['MALLOC_ARENA_MAX=2', entry, 'start', '--sandbox']);
  });

  it("keeps the operator's MALLOC_ARENA_MAX", () => {
    assert.equal(run(launcher, { MALLOC_ARENA_MAX: '8' })[0], 'MALLOC_ARENA_MAX=8');
  });

  it('puts the Node flags of WAYGATE_NODE_ARGS before the script, one per word', () => {
    assert.deepEqual(run(launcher, { WAYGATE_NODE_ARGS: '--cpu-prof  --cpu-prof-dir=/tmp/prof' }).slice(1), ['--cpu-prof', '--cpu-prof-dir=/tmp/prof', entry, 'start', '--sandbox']);
  });

  it('finds dist/ through a symlink, as npm links a bin into node_modules/.bin', () => {
    const link = join(scratch, 'waygate');
    symlinkSync(launcher, link);
    assert.equal(run(link)[1], entry);
  });
});
