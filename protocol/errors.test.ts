import { describe, expect, it } from 'vitest';
import { toJSONSchema } from 'zod';
import { ErrorBodySchema } from './errors.js';
import { ErrorBodyMiniSchema } from './errors-mini.js';

describe('error body contract', () => {
  it('the zod/mini twin the edge parses with describes exactly the classic schema', () => {
    expect(toJSONSchema(ErrorBodyMiniSchema)).toEqual(toJSONSchema(ErrorBodySchema));
  });
});
