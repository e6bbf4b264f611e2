// The zod/mini twin of the response schemas in `accounts.ts` that the edge's pages read (classic zod
// would add ~450 KB to the worker; the origin's OpenAPI routes cannot read mini schemas).
// `accounts.test.ts` holds each twin to the JSON Schema of its original (docs/adr/0007-zod-mini-twins.md).
import * as z from 'zod/mini';
import { ROLES } from '../claims.js';

/** Twin of `UserSchema`. */
export const UserMiniSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    username: z.string(),
    role: z.enum(ROLES),
    createdAt: z.iso.datetime(),
  })
  .check(z.meta({ id: 'User' }));

/** Twin of `SessionSchema`: what register, login and refresh answer. */
export const SessionMiniSchema = z
  .object({
    user: UserMiniSchema,
    accessToken: z.string().check(z.describe('ES256 JWT; send as `Authorization: Bearer`')),
    accessTokenExpiresAt: z.iso.datetime(),
    refreshToken: z.string().check(z.describe('Single-use; every refresh returns a new one')),
    refreshTokenExpiresAt: z.iso.datetime(),
  })
  .check(z.meta({ id: 'Session' }));

/** Twin of `RegistrationAcceptedSchema`: what register answers, whether or not the email was taken. */
export const RegistrationAcceptedMiniSchema = z
  .object({ message: z.string() })
  .check(z.meta({ id: 'RegistrationAccepted' }));
