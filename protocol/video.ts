import { z } from 'zod';

/** Who may see a video. The rules are `decideVideoAccess` in protocol/access.ts, shared by origin and edge. */
export const PRIVACY_LEVELS = ['public', 'unlisted', 'private', 'internal', 'password'] as const;
export const PrivacySchema = z.enum(PRIVACY_LEVELS);
export type Privacy = z.infer<typeof PrivacySchema>;

/**
 * Video lifecycle. `deleted` is reachable from every state; `failed` may be retried by queueing
 * again; a `ready` video goes back to `queued` when it is re-transcoded.
 */
export const VIDEO_STATES = [
  'created',
  'uploading',
  'queued',
  'transcoding',
  'ready',
  'failed',
  'deleted',
] as const;
export const VideoStateSchema = z.enum(VIDEO_STATES);
export type VideoState = z.infer<typeof VideoStateSchema>;

const TRANSITIONS: Record<VideoState, readonly VideoState[]> = {
  created: ['uploading', 'queued', 'deleted'],
  uploading: ['queued', 'failed', 'created', 'deleted'],
  queued: ['transcoding', 'failed', 'deleted'],
  transcoding: ['ready', 'failed', 'queued', 'deleted'],
  ready: ['queued', 'deleted'],
  failed: ['queued', 'deleted'],
  deleted: [],
};

/** Whether the state machine allows `from -> to`. Pure, so every pair is unit-tested. */
export function canTransition(from: VideoState, to: VideoState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** The states a video may move to from `from`. */
export function nextStates(from: VideoState): readonly VideoState[] {
  return TRANSITIONS[from];
}

export const RenditionSchema = z.object({
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  bitrate: z.number().int().positive().describe('Peak video+audio bitrate in bits per second'),
  codecs: z.string().optional(),
});
export type Rendition = z.infer<typeof RenditionSchema>;
