import { z } from 'zod';

export const HandleSchema = z
  .string()
  .trim()
  .min(2, 'Use at least 2 characters')
  .max(40, 'Use at most 40 characters')
  .regex(/^[a-zA-Z0-9_.-]+$/, 'Use only letters, digits, dots, dashes and underscores');

export const CreateChannelInputSchema = z.object({
  handle: HandleSchema,
  displayName: z.string().trim().min(1, 'Enter a display name').max(100),
  description: z.string().max(5000).optional(),
});
export type CreateChannelInput = z.infer<typeof CreateChannelInputSchema>;

export const UpdateChannelInputSchema = z
  .object({
    displayName: z.string().trim().min(1, 'Enter a display name').max(100),
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
    createdAt: z.string().datetime(),
  })
  .meta({ id: 'Channel' });
export type ChannelDto = z.infer<typeof ChannelSchema>;

/** What `GET /api/v1/users/me/channels` answers: the user's channels, oldest first. */
export const ChannelListSchema = z.object({ items: z.array(ChannelSchema) });
