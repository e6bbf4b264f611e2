import { z } from 'zod';

export const ROLES = ['user', 'moderator', 'admin'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

/** Audience of access tokens minted by the origin; the edge checks it too. */
export const ACCESS_TOKEN_AUDIENCE = 'vidra:api';
export const ACCESS_TOKEN_ISSUER = 'vidra:origin';

/** Claims carried by an origin-issued access JWT (ES256, `kid` in the header). */
export const AccessClaimsSchema = z.object({
  sub: z.string().uuid(),
  role: RoleSchema,
  username: z.string(),
  iat: z.number().int(),
  exp: z.number().int(),
});
export type AccessClaims = z.infer<typeof AccessClaimsSchema>;
