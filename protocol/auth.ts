import { z } from 'zod';

import { ROLES } from './claims.js';

export { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER, ROLES, type Role } from './claims.js';

export const RoleSchema = z.enum(ROLES);
