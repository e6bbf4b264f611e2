// No zod here: the edge bundles these constants, and zod would add ~450 KB to the worker.

export const ROLES = ['user', 'moderator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Audience of access tokens minted by the origin; the edge checks it too. */
export const ACCESS_TOKEN_AUDIENCE = 'vidra:api';
export const ACCESS_TOKEN_ISSUER = 'vidra:origin';
