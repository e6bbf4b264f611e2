import { describe, expect, it } from 'vitest';
import { toJSONSchema } from 'zod';
import { FederationHealthSchema, FederationHostHealthSchema } from './federation.js';
import { FederationHealthMiniSchema, FederationHostHealthMiniSchema } from './federation-mini.js';

describe('federation health twins', () => {
  it('describe exactly what the origin publishes', () => {
    expect(toJSONSchema(FederationHostHealthMiniSchema)).toEqual(toJSONSchema(FederationHostHealthSchema));
    expect(toJSONSchema(FederationHealthMiniSchema)).toEqual(toJSONSchema(FederationHealthSchema));
  });
});
