import { describe, expect, expectTypeOf, it } from 'vitest';
import { toJSONSchema } from 'zod';
import type * as z from 'zod/mini';
import { RegistrationAcceptedSchema, type SessionDto, SessionSchema, UserSchema } from './accounts.js';
import { RegistrationAcceptedMiniSchema, SessionMiniSchema, UserMiniSchema } from './accounts-mini.js';

const session: SessionDto = {
  user: {
    id: '0b6f1c5e-8a4d-4c3b-9e2f-7a1d5c6b8e90',
    email: 'me@example.com',
    username: 'me',
    role: 'admin',
    createdAt: '2025-01-02T03:04:05.678Z',
  },
  accessToken: 'header.payload.signature',
  accessTokenExpiresAt: '2025-01-02T03:19:05.678Z',
  refreshToken: 'opaque',
  refreshTokenExpiresAt: '2025-02-01T03:04:05.678Z',
};

describe('account API contracts', () => {
  it('the zod/mini twins the edge parses with describe exactly what the origin publishes', () => {
    expect(toJSONSchema(UserMiniSchema)).toEqual(toJSONSchema(UserSchema));
    expect(toJSONSchema(SessionMiniSchema)).toEqual(toJSONSchema(SessionSchema));
    expect(toJSONSchema(RegistrationAcceptedMiniSchema)).toEqual(toJSONSchema(RegistrationAcceptedSchema));
    expectTypeOf<z.output<typeof SessionMiniSchema>>().toEqualTypeOf<SessionDto>();
  });

  it('both accept what the origin sends and refuse what breaks the contract', () => {
    for (const schema of [SessionSchema, SessionMiniSchema]) {
      expect(schema.safeParse(session).data).toEqual(session);
      for (const broken of [
        { ...session, user: { ...session.user, role: 'root' } },
        { ...session, accessTokenExpiresAt: 'soon' },
        { accessToken: 'a', refreshToken: 'b' },
      ]) {
        expect(schema.safeParse(broken).success).toBe(false);
      }
    }
  });
});
