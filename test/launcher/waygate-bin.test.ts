// bin/waygate, the command `npm start` and the package's `waygate` bin run: it starts dist/main.js with the
// arguments given (and the Node flags of WAYGATE_NODE_ARGS), preloads jemalloc when the system has it
// (WAYGATE_ALLOCATOR) and caps glibc's malloc arenas at two unless the operator set MALLOC_ARENA_MAX. A `node`
// that reports what it was started with stands in for Node on the PATH, and an `ldconfig` that lists what a test
// says is installed stands in for the system's, so this needs no build and no jemalloc.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';

const launcher = resolve('bin/waygate');
const entry = `${realpathSync('bin')}/../dist/main.js`;
const scratch = mkdtempSync(join(tmpdir(), 'waygate-bin-'));
const jemalloc = join(scratch, 'libjemalloc.so.2');
// An empty file: the dynamic loader warns that it cannot preload it and goes on, which is all the fake node needs.
writeFileSync(jemalloc, '');
writeFileSync(join(scratch, 'node'), '#!/bin/sh\nprintf "%s\\n" "MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX-unset}" "LD_PRELOAD=${LD_PRELOAD-unset}" "$@"\n');
writeFileSync(join(scratch, 'ldconfig'), '#!/bin/sh\n[ "$1" = -p ] && printf "%s" "$INSTALLED_LIBRARIES"\n');
for (const program of ['node', 'ldconfig']) chmodSync(join(scratch, program), 0o755);
const jemallocInstalled = { INSTALLED_LIBRARIES: `2 libs found in cache\n\tlibjemalloc.so.2 (libc6,x86-64) => ${jemalloc}\n\tlibz.so.1 (libc6,x86-64) => /lib/libz.so.1\n` };

function environment(env: Record<string, string>): NodeJS.ProcessEnv {
  const { MALLOC_ARENA_MAX: _, WAYGATE_NODE_ARGS: __, LD_PRELOAD: ___, WAYGATE_ALLOCATOR: ____, ...inherited } = process.env;
  return { ...inherited, INSTALLED_LIBRARIES: '', ...env, PATH: `${scratch}:${process.env.PATH}` };
}

function run(command: string, env: Record<string, string> = {}): string[] {
  return execFileSync(command, ['start', '--sandbox'], { env: environment(env), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n');
}

describe('bin/waygate', () => {
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('runs dist/main.js with the arguments given, on glibc with two malloc arenas when jemalloc is not installed', () => {
    assert.deepEqual(run(launcher), ['MALLOC_ARENA_MAX=2', 'LD_PRELOAD=unset', entry, 'start', '--sandbox']);
  });

  it('preloads jemalloc when the system has it', () => {
    assert.equal(run(launcher, jemallocInstalled)[1], `LD_PRELOAD=${jemalloc}`);
  });

  it("keeps the operator's LD_PRELOAD: adds jemalloc after other libraries, and nothing when it names jemalloc already", () => {
    assert.equal(run(launcher, { ...jemallocInstalled, LD_PRELOAD: '/opt/libtrace.so' })[1], `LD_PRELOAD=/opt/libtrace.so:${jemalloc}`);
    assert.equal(run(launcher, { ...jemallocInstalled, LD_PRELOAD: '/opt/libjemalloc.so.2' })[1], 'LD_PRELOAD=/opt/libjemalloc.so.2');
  });

  it('WAYGATE_ALLOCATOR=glibc never preloads jemalloc; =jemalloc refuses to start without it; other values are refused', () => {
    assert.equal(run(launcher, { ...jemallocInstalled, WAYGATE_ALLOCATOR: 'glibc' })[1], 'LD_PRELOAD=unset');
    assert.equal(run(launcher, { ...jemallocInstalled, WAYGATE_ALLOCATOR: 'jemalloc' })[1], `LD_PRELOAD=${jemalloc}`);
    const missing = spawnSync(launcher, ['start'], { env: environment({ WAYGATE_ALLOCATOR: 'jemalloc' }), encoding: 'utf8' });
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /no libjemalloc\.so\.2 is installed \(Debian\/Ubuntu: apt-get install libjemalloc2\)/);
    assert.equal(missing.stdout, '');
    const unknown = spawnSync(launcher, ['start'], { env: environment({ WAYGATE_ALLOCATOR: 'tcmalloc' }), encoding: 'utf8' });
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /WAYGATE_ALLOCATOR must be auto, jemalloc or glibc, not "tcmalloc"/);
  });

  it("keeps the operator's MALLOC_ARENA_MAX", () => {
    assert.equal(run(launcher, { MALLOC_ARENA_MAX: '8' })[0], 'MALLOC_ARENA_MAX=8');
  });

  it('puts the Node flags of WAYGATE_NODE_ARGS before the script, one per word', () => {
    assert.deepEqual(run(launcher, { WAYGATE_NODE_ARGS: '--cpu-prof  --cpu-prof-dir=/tmp/prof' }).slice(2), ['--cpu-prof', '--cpu-prof-dir=/tmp/prof', entry, 'start', '--sandbox']);
  });

  it('finds dist/ through a symlink, as npm links a bin into node_modules/.bin', () => {
    const link = join(scratch, 'waygate');
    symlinkSync(launcher, link);
    assert.equal(run(link)[2], entry);
  });
});
