import { z } from 'zod';
import { isBlankLooking, isDotSegment } from '../text.js';

export const HandleSchema = z
  .string()
  .trim()
  .min(2, 'Use at least 2 characters')
  .max(40, 'Use at most 40 characters')
  .regex(/^[a-zA-Z0-9_.-]+$/, 'Use only letters, digits, dots, dashes and underscores')
  // A handle is a URL path segment: `..` would be resolved away, `--` reads as nothing.
  .refine((handle) => !isDotSegment(handle), 'A handle cannot be . or ..')
  .regex(/[a-zA-Z0-9]/, 'Use at least one letter or digit');

/** A name shown in lists: must show at least one visible character. */
export const DisplayNameSchema = z
  .string()
  .trim()
  .min(1, 'Enter a display name')
  .max(100)
  .refine((name) => name === '' || !isBlankLooking(name), 'Enter a display name with visible characters');

export const CreateChannelInputSchema = z.object({
  handle: HandleSchema,
  displayName: DisplayNameSchema,
  description: z.string().max(5000).optional(),
});
export type CreateChannelInput = z.infer<typeof CreateChannelInputSchema>;

export const UpdateChannelInputSchema = z
  .object({
    displayName: DisplayNameSchema,
    description: z.string().max(5000),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'Send at least one field to change');
export type UpdateChannelInput = z.infer<typeof UpdateChannelInputSchema>;

export const ChannelSchema = z
  .object({
    id: z.string().uuid(),
    handle: z.string(),
    displayName: z.string(),
    description: z.string(),
    ownerId: z.string().uuid(),
    followersCount: z.number().int().min(0).describe('Subscribers of the channel'),
    createdAt: z.string().datetime(),
  })
  .meta({ id: 'Channel' });
export type ChannelDto = z.infer<typeof ChannelSchema>;

/** What `GET /api/v1/users/me/channels` answers: the user's channels, oldest first. */
export const ChannelListSchema = z.object({ items: z.array(ChannelSchema) });
