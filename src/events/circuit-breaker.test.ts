import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CircuitBreaker } from './circuit-breaker.js';

const URL_A = 'https://a.example/hook';
const URL_B = 'https://b.example/hook';

describe('circuit breaker', () => {
  it('opens after N consecutive failures, per URL', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 3, probeBaseMs: 1000, probeMaxMs: 8000 });
    breaker.failed(URL_A, 0);
    breaker.failed(URL_A, 0);
    assert.equal(breaker.isOpen(URL_A), false);
    breaker.failed(URL_A, 10);
    assert.equal(breaker.state(URL_A, 10), 'open');
    assert.deepEqual(breaker.openUrls(), [URL_A]);
    assert.equal(breaker.isOpen(URL_B), false);
    assert.equal(breaker.nextProbeAt(10), 1010);
    assert.deepEqual(breaker.probesDue(1009), []);
    assert.deepEqual(breaker.probesDue(1010), [URL_A]);
  });

  it('a success resets the count, and says whether the URL had been failing', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 2, probeBaseMs: 1000, probeMaxMs: 8000 });
    breaker.failed(URL_A, 0);
    assert.equal(breaker.succeeded(URL_A), true);
    assert.equal(breaker.succeeded(URL_A), false);
    breaker.failed(URL_A, 0);
    assert.equal(breaker.state(URL_A, 0), 'closed');
  });

  it('lets one probe through at a time; success closes, failure reopens', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, probeBaseMs: 1000, probeMaxMs: 8000 });
    breaker.failed(URL_A, 0);
    breaker.attemptStarted(URL_A, 1000);
    assert.equal(breaker.state(URL_A, 1000), 'half-open');
    assert.equal(breaker.isOpen(URL_A), true, 'only the probe goes out');
    assert.deepEqual(breaker.probesDue(1000), [], 'one probe at a time');

    breaker.failed(URL_A, 1100);
    assert.equal(breaker.state(URL_A, 1100), 'open');
    breaker.attemptStarted(URL_A, 3100);
    assert.equal(breaker.succeeded(URL_A), true);
    assert.equal(breaker.state(URL_A, 3100), 'closed');
    assert.equal(breaker.nextProbeAt(3100), undefined);
  });

  it('doubles the wait after each failed probe, up to the max, and starts short again after a recovery', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, probeBaseMs: 1000, probeMaxMs: 8000 });
    let now = 0;
    breaker.failed(URL_A, now);
    const waits: number[] = [];
    for (let probe = 0; probe < 6; probe++) {
      const probeAt = breaker.nextProbeAt(now)!;
      waits.push(probeAt - now);
      now = probeAt;
      breaker.attemptStarted(URL_A, now);
      breaker.failed(URL_A, now);
    }
    assert.deepEqual(waits, [1000, 2000, 4000, 8000, 8000, 8000]);

    breaker.attemptStarted(URL_A, breaker.nextProbeAt(now)!);
    breaker.succeeded(URL_A);
    breaker.failed(URL_A, 100_000);
    assert.equal(breaker.nextProbeAt(100_000), 101_000);
  });

  it('waits at least what the receiver asked for with Retry-After', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, probeBaseMs: 1000, probeMaxMs: 8000 });
    breaker.failed(URL_A, 0, 30_000);
    assert.equal(breaker.nextProbeAt(0), 30_000);
    // A late failure of an attempt started before the circuit opened can push the probe back, never forward.
    breaker.failed(URL_A, 10, 40_000);
    breaker.failed(URL_A, 20, 5_000);
    assert.equal(breaker.nextProbeAt(20), 40_010);
  });

  it('frees the probe slot when the probe says nothing about the target', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, probeBaseMs: 10, probeMaxMs: 10 });
    breaker.failed(URL_A, 0);
    breaker.attemptStarted(URL_A, 20);
    breaker.inconclusive(URL_A);
    assert.deepEqual(breaker.probesDue(20), [URL_A]);
  });
});
