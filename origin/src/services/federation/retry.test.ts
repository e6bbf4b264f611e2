import { describe, expect, it } from 'vitest';
import { classifyStatus, DELIVERY_RETRY, HostBreakers, hostStatus, retryDelayMs } from './retry.js';

describe('delivery retries', () => {
  it('back off exponentially with jitter, capped, for more than 24 hours in all', () => {
    expect(retryDelayMs(1, 0.5)).toBe(2_000);
    expect(retryDelayMs(2, 0.5)).toBe(4_000);
    expect(retryDelayMs(1, 0)).toBe(1_600);
    expect(retryDelayMs(1, 0.999_999)).toBe(2_400);
    expect(retryDelayMs(40, 0.5)).toBe(6 * 3_600_000);
    let total = 0;
    for (let attempt = 1; attempt < DELIVERY_RETRY.maxAttempts; attempt++) total += retryDelayMs(attempt, 0);
    expect(total).toBeGreaterThan(24 * 3_600_000);
  });

  it('treat 404 and 410 as gone, 5xx/429/408 as retryable, other 4xx as failed', () => {
    expect(classifyStatus(202)).toBe('delivered');
    expect(classifyStatus(404)).toBe('gone');
    expect(classifyStatus(410)).toBe('gone');
    expect(classifyStatus(503)).toBe('retry');
    expect(classifyStatus(429)).toBe('retry');
    expect(classifyStatus(401)).toBe('failed');
  });

  it('open a host breaker after 5 failures in a row, and close it on a success', () => {
    const breakers = new HostBreakers(5, 60_000);
    for (let i = 0; i < 4; i++) breakers.record('dead.example', false, 1000);
    expect(breakers.isOpen('dead.example', 1000)).toBe(false);
    breakers.record('dead.example', false, 1000);
    expect(breakers.isOpen('dead.example', 1000)).toBe(true);
    expect(breakers.openHosts(1000)).toEqual(['dead.example']);
    expect(breakers.isOpen('dead.example', 61_001)).toBe(false);
    breakers.record('dead.example', true);
    expect(breakers.snapshot()).toEqual({});
  });

  it('show a host as ok, retrying, or failing once a delivery failed as often as opens its breaker', () => {
    expect(hostStatus({ retrying: 0, maxAttempts: 0 })).toBe('ok');
    expect(hostStatus({ retrying: 2, maxAttempts: 4 })).toBe('retrying');
    expect(hostStatus({ retrying: 1, maxAttempts: 5 })).toBe('failing');
  });
});
