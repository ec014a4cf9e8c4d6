// The patched Baileys' command timeouts ([lazy-timeout-stacks] in patches/): every frame Baileys sends and every
// query it waits on runs under promiseTimeout, so one that finishes in time must not format a stack trace or
// build an error; one that times out still rejects with Baileys' "Timed Out" and the caller's stack.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DisconnectReason, promiseTimeout } from 'baileys';

/** How many stack traces `fn` formats (V8 calls Error.prepareStackTrace for each). */
async function stacksFormattedBy(fn: () => Promise<unknown>): Promise<number> {
  const original = Error.prepareStackTrace;
  let formatted = 0;
  Error.prepareStackTrace = (error, frames) => {
    formatted++;
    return original ? original(error, frames) : `${error}\n${frames.map((frame) => `    at ${frame}`).join('\n')}`;
  };
  try {
    await fn();
    return formatted;
  } finally {
    Error.prepareStackTrace = original;
  }
}

test('a call answered in time formats no stack trace and leaves no timer', async () => {
  const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
  const before = timers();
  const formatted = await stacksFormattedBy(async () => {
    for (let i = 0; i < 100; i++) assert.equal(await promiseTimeout(60_000, (resolve) => setImmediate(() => resolve(i))), i);
  });
  assert.equal(formatted, 0);
  assert.equal(timers(), before);
});

test('a call that is not answered in time rejects with "Timed Out" and the stack of the code that waited', async () => {
  async function waitsForAnAnswer() {
    return promiseTimeout(20, () => undefined);
  }
  await assert.rejects(waitsForAnAnswer(), (error: Error & { output: { statusCode: number }; data: { stack: string } }) => {
    assert.equal(error.message, 'Timed Out');
    assert.equal(error.output.statusCode, DisconnectReason.timedOut);
    assert.match(error.data.stack, /waitsForAnAnswer/);
    return true;
  });
});

test('a failing call rejects with its own error, not a timeout', async () => {
  await assert.rejects(promiseTimeout(60_000, (_, reject) => reject(new Error('refused'))), /refused/);
});
