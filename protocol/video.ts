import { z } from 'zod';

import { PRIVACY_LEVELS, VIDEO_STATES } from './video-enums.js';

export { PRIVACY_LEVELS, VIDEO_STATES };

export const PrivacySchema = z.enum(PRIVACY_LEVELS);
export type Privacy = z.infer<typeof PrivacySchema>;

export const VideoStateSchema = z.enum(VIDEO_STATES);
export type VideoState = z.infer<typeof VideoStateSchema>;

const TRANSITIONS: Record<VideoState, readonly VideoState[]> = {
  created: ['uploading', 'queued', 'live', 'deleted'],
  uploading: ['queued', 'failed', 'created', 'deleted'],
  queued: ['transcoding', 'failed', 'deleted'],
  transcoding: ['ready', 'failed', 'queued', 'deleted'],
  ready: ['queued', 'deleted'],
  failed: ['queued', 'deleted'],
  deleted: [],
  live: ['ended', 'deleted'],
  // A recording turns the ended live into a VOD through the normal queue.
  ended: ['queued', 'deleted'],
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
