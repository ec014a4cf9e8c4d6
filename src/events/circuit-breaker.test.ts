import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CircuitBreaker } from './circuit-breaker.js';

const URL_A = 'https://a.example/hook';
const URL_B = 'https://b.example/hook';

describe('circuit breaker', () => {
  it('opens after N consecutive failures, per URL', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 1000 });
    breaker.failed(URL_A, 0);
    breaker.failed(URL_A, 0);
    assert.equal(breaker.isBlocked(URL_A, 0), false);
    breaker.failed(URL_A, 10);
    assert.equal(breaker.state(URL_A, 10), 'open');
    assert.deepEqual(breaker.blockedUrls(10), [URL_A]);
    assert.equal(breaker.isBlocked(URL_B, 10), false);
    assert.equal(breaker.nextProbeAt(10), 1010);
  });

  it('a success resets the count', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 1000 });
    breaker.failed(URL_A, 0);
    breaker.succeeded(URL_A);
    breaker.failed(URL_A, 0);
    assert.equal(breaker.state(URL_A, 0), 'closed');
  });

  it('lets one probe through after the cool-down; success closes, failure reopens', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 1000 });
    breaker.failed(URL_A, 0);
    assert.equal(breaker.isBlocked(URL_A, 999), true);
    assert.equal(breaker.isBlocked(URL_A, 1000), false);
    breaker.attemptStarted(URL_A, 1000);
    assert.equal(breaker.state(URL_A, 1000), 'half-open');
    assert.equal(breaker.isBlocked(URL_A, 1000), true, 'only one probe at a time');

    breaker.failed(URL_A, 1100);
    assert.equal(breaker.state(URL_A, 1100), 'open');
    assert.equal(breaker.isBlocked(URL_A, 2099), true);

    breaker.attemptStarted(URL_A, 2100);
    breaker.succeeded(URL_A);
    assert.equal(breaker.state(URL_A, 2100), 'closed');
    assert.equal(breaker.nextProbeAt(2100), undefined);
  });

  it('frees the probe slot when the probe says nothing about the target', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 10 });
    breaker.failed(URL_A, 0);
    breaker.attemptStarted(URL_A, 20);
    breaker.inconclusive(URL_A);
    assert.equal(breaker.isBlocked(URL_A, 20), false);
  });
});
