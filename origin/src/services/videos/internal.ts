import type { VideoAccessPolicy } from '../../../../protocol/api/internal.js';
import type { ServiceContext } from '../context.js';
import { guessVideoPassword } from './password.js';
import { loadVideo } from './read.js';

/** What the edge needs to decide access and find a video's files. Keys are made relative to `videos/<id>/`. */
export async function videoAccessPolicy(ctx: ServiceContext, id: string): Promise<VideoAccessPolicy> {
  const { video, channel } = await loadVideo(ctx, id);
  const prefix = `videos/${video.id}/`;
  const relative = (key: string | undefined) =>
    key?.startsWith(prefix) ? key.slice(prefix.length) : undefined;
  const assets = video.assets;
  return {
    id: video.id,
    privacy: video.privacy,
    ownerId: channel.ownerId,
    state: video.state,
    assets: assets
      ? {
          version: assets.version ?? video.updatedAt.getTime(),
          master: relative(assets.master) ?? 'hls/master.m3u8',
          ...(relative(assets.thumbnail) ? { thumbnail: relative(assets.thumbnail) } : {}),
          ...(relative(assets.storyboardImage) ? { storyboardImage: relative(assets.storyboardImage) } : {}),
          ...(relative(assets.storyboardVtt) ? { storyboardVtt: relative(assets.storyboardVtt) } : {}),
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
