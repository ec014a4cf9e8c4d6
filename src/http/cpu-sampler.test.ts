import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { CpuSampler, RingBuffer } from './cpu-sampler.js';

describe('RingBuffer', () => {
  it('keeps the newest items up to its capacity, oldest first', () => {
    const ring = new RingBuffer<number>(3);
    assert.deepEqual(ring.toArray(), []);
    for (const n of [1, 2]) ring.push(n);
    assert.deepEqual(ring.toArray(), [1, 2]);
    for (const n of [3, 4, 5]) ring.push(n);
    assert.deepEqual(ring.toArray(), [3, 4, 5]);
    ring.push(6);
    assert.deepEqual(ring.toArray(), [4, 5, 6]);
    assert.equal(ring.size, 3);
  });

  it('rejects a capacity below 1', () => {
    assert.throws(() => new RingBuffer(0), RangeError);
  });
});

describe('CpuSampler', () => {
  it('measures CPU over the interval and stays bounded', () => {
    const sampler = new CpuSampler(1000, 2);
    const end = Date.now() + 20;
    while (Date.now() < end); // burn CPU so the sample is not zero
    const sample = sampler.sample();
    assert.ok(sample.cpuPercent > 0, `cpu ${sample.cpuPercent}`);
    assert.ok(sample.cpuPercentOfHost <= sample.cpuPercent);
    sampler.sample();
    sampler.sample();
    assert.equal(sampler.samples().length, 2);
    assert.equal(sampler.samples(1).length, 1);
  });

  it('samples in the background until stopped', async () => {
    const sampler = new CpuSampler(5, 100);
    sampler.start();
    await sleep(40);
    sampler.stop();
    const taken = sampler.samples().length;
    assert.ok(taken >= 2, `took ${taken}`);
    await sleep(20);
    assert.equal(sampler.samples().length, taken);
  });
});
