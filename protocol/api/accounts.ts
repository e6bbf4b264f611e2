import { z } from 'zod';
import { RoleSchema } from '../auth.js';

export const EmailSchema = z.string().trim().toLowerCase().email('Enter a valid email address').max(254);
export const UsernameSchema = z
  .string()
  .trim()
  .min(3, 'Use at least 3 characters')
  .max(32, 'Use at most 32 characters')
  .regex(/^[a-zA-Z0-9_]+$/, 'Use only letters, digits and underscores');
export const PasswordSchema = z
  .string()
  .min(10, 'Use at least 10 characters')
  .max(256, 'Use at most 256 characters');

export const RegisterInputSchema = z.object({
  email: EmailSchema,
  username: UsernameSchema,
  password: PasswordSchema,
});
export type RegisterInput = z.infer<typeof RegisterInputSchema>;

/**
 * What registration answers, whether or not the email already had an account (so it cannot be used
 * to find out which emails do). The client signs in next.
 */
export const RegistrationAcceptedSchema = z
  .object({ message: z.string() })
  .meta({ id: 'RegistrationAccepted' });
export type RegistrationAccepted = z.infer<typeof RegistrationAcceptedSchema>;

export const LoginInputSchema = z.object({
  email: EmailSchema,
  password: z.string().min(1, 'Enter your password').max(256),
});
export type LoginInput = z.infer<typeof LoginInputSchema>;

export const RefreshInputSchema = z.object({
  refreshToken: z.string().min(1, 'Send the refresh token').max(200),
});
export type RefreshInput = z.infer<typeof RefreshInputSchema>;

export const UserSchema = z
  .object({
    id: z.string().uuid(),
    email: z.string(),
    username: z.string(),
    role: RoleSchema,
    createdAt: z.string().datetime(),
  })
  .meta({ id: 'User' });
export type UserDto = z.infer<typeof UserSchema>;

export const SessionSchema = z
  .object({
    user: UserSchema,
    accessToken: z.string().describe('ES256 JWT; send as `Authorization: Bearer`'),
    accessTokenExpiresAt: z.string().datetime(),
    refreshToken: z.string().describe('Single-use; every refresh returns a new one'),
    refreshTokenExpiresAt: z.string().datetime(),
  })
  .meta({ id: 'Session' });
export type SessionDto = z.infer<typeof SessionSchema>;

/** What `POST /api/v1/admin/users/:id/suspend` and `/unsuspend` answer. */
export const AccountSuspensionSchema = z
  .object({
    userId: z.string().uuid(),
    /** When the suspension began; null once lifted. */
    suspendedAt: z.string().datetime().nullable(),
  })
  .meta({ id: 'AccountSuspension' });
export type AccountSuspensionDto = z.infer<typeof AccountSuspensionSchema>;
