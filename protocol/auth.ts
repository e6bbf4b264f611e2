import { z } from 'zod';

import { ROLES } from './claims.js';

export { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER, ROLES, type Role } from './claims.js';

export const RoleSchema = z.enum(ROLES);

/** Claims carried by an origin-issued access JWT (ES256, `kid` in the header). */
export const AccessClaimsSchema = z.object({
  sub: z.string().uuid(),
  role: RoleSchema,
  username: z.string(),
  iat: z.number().int(),
  exp: z.number().int(),
});
export type AccessClaims = z.infer<typeof AccessClaimsSchema>;
