import type { VideoAccessPolicy } from '../../../../protocol/api/internal.js';
import type { ServiceContext } from '../context.js';
import { guessVideoPassword } from './password.js';
import { loadVideo } from './read.js';

/** What the edge needs to decide access and find a video's files; keys are relative to the video, as stored. */
export async function videoAccessPolicy(ctx: ServiceContext, id: string): Promise<VideoAccessPolicy> {
  const { video, channel } = await loadVideo(ctx, id);
  const assets = video.assets;
  return {
    id: video.id,
    privacy: video.privacy,
    ownerId: channel.ownerId,
    state: video.state,
    assets: assets
      ? {
          version: assets.version ?? video.updatedAt.getTime(),
          master: assets.master,
          ...(assets.thumbnail ? { thumbnail: assets.thumbnail } : {}),
          ...(assets.storyboardVtt ? { storyboardVtt: assets.storyboardVtt } : {}),
        }
      : null,
  };
}

/** Check a video password for the edge, with the same brute-force throttle as the public API. */
export async function checkVideoPassword(
  ctx: ServiceContext,
  input: { id: string; password: string; ip: string },
): Promise<boolean> {
  const { video } = await loadVideo(ctx, input.id);
  return guessVideoPassword(ctx, { videoId: video.id, passwordHash: video.passwordHash, ...input });
}
