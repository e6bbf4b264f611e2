import { describe, expect, it } from 'vitest';
import { lowestFreePort, parsePortRange, portCount } from './ports.js';

describe('parsePortRange', () => {
  it('reads an inclusive range and a single port', () => {
    expect(parsePortRange('9000-9099')).toEqual({ first: 9000, last: 9099 });
    expect(parsePortRange(' 9000 - 9001 ')).toEqual({ first: 9000, last: 9001 });
    expect(parsePortRange('9000')).toEqual({ first: 9000, last: 9000 });
    expect(portCount({ first: 9000, last: 9099 })).toBe(100);
  });

  it.each([
    ['', 'use first-last'],
    ['9000-', 'use first-last'],
    ['a-b', 'use first-last'],
    ['9000,9001', 'use first-last'],
    ['-1-5', 'use first-last'],
    ['0-10', 'between 1 and 65535'],
    ['65000-65536', 'between 1 and 65535'],
    ['9100-9000', 'backwards'],
  ])('refuses %j', (text, message) => {
    const result = parsePortRange(text);
    expect(result).toHaveProperty('error');
    expect((result as { error: string }).error).toContain(message);
  });
});

describe('lowestFreePort', () => {
  const range = { first: 9000, last: 9002 };
  it('takes the lowest port nobody holds, filling gaps first', () => {
    expect(lowestFreePort(range, [])).toBe(9000);
    expect(lowestFreePort(range, [9000, 9002])).toBe(9001);
    expect(lowestFreePort(range, [8999, 9000, 9003])).toBe(9001);
  });
  it('answers undefined once the range is exhausted', () => {
    expect(lowestFreePort(range, [9000, 9001, 9002])).toBeUndefined();
  });
});
