import { and, count, eq, isNull, ne, sql } from 'drizzle-orm';
import {
  channels,
  uploads,
  users,
  videoComments,
  videoPlaylists,
  videos,
} from '../../../../db/schema/index.js';
import { PEERTUBE_API_VERSION } from '../../../../protocol/peertube.js';
import type { ServiceContext } from '../context.js';
import { readDb } from '../read-db.js';

/** The instance's name as PeerTube clients show it. Vidra has no setting for it yet. */
export const INSTANCE_NAME = 'Vidra';
const SHORT_DESCRIPTION = 'A federated, edge-first video platform';

/** `GET /api/v1/config`: the parts of PeerTube's ServerConfig clients read. */
export function serverConfig(ctx: ServiceContext) {
  return {
    serverVersion: PEERTUBE_API_VERSION,
    serverCommit: null,
    instance: {
      name: INSTANCE_NAME,
      shortDescription: SHORT_DESCRIPTION,
      isNSFW: false,
      defaultNSFWPolicy: 'display',
      defaultClientRoute: '/',
    },
    signup: { allowed: true, allowedForCurrentIP: true, requiresEmailVerification: false },
    search: { remoteUri: { users: false, anonymous: false } },
    live: { enabled: Boolean(ctx.config.live.rtmpUrl) },
  };
}

/** `GET /api/v1/config/about`. */
export function serverAbout() {
  return {
    instance: {
      name: INSTANCE_NAME,
      shortDescription: SHORT_DESCRIPTION,
      description: '',
      terms: '',
      languages: [],
      categories: [],
    },
  };
}

/** `GET /api/v1/server/stats`: one count per table, from the read replica when there is one. */
export async function serverStats(ctx: ServiceContext) {
  const db = readDb(ctx);
  const [[u], [v], [c], [ch], [p], [f]] = await Promise.all([
    db.select({ n: count() }).from(users).where(isNull(users.suspendedAt)),
    db
      .select({ n: count(), views: sql<string>`coalesce(sum(${videos.views}), 0)` })
      .from(videos)
      .where(and(ne(videos.state, 'deleted'), eq(videos.privacy, 'public'))),
    db.select({ n: count() }).from(videoComments).where(isNull(videoComments.deletedAt)),
    db.select({ n: count() }).from(channels),
    db.select({ n: count() }).from(videoPlaylists),
    db
      .select({ bytes: sql<string>`coalesce(sum(${uploads.size}), 0)` })
      .from(uploads)
      .where(eq(uploads.state, 'complete')),
  ]);
  const videosCount = v?.n ?? 0;
  const comments = c?.n ?? 0;
  return {
    totalUsers: u?.n ?? 0,
    totalLocalVideos: videosCount,
    totalLocalVideoViews: Number(v?.views ?? 0),
    totalLocalVideoComments: comments,
    totalLocalVideoFilesSize: Number(f?.bytes ?? 0),
    totalVideos: videosCount,
    totalVideoComments: comments,
    totalLocalVideoChannels: ch?.n ?? 0,
    totalLocalPlaylists: p?.n ?? 0,
    totalInstanceFollowers: 0,
    totalInstanceFollowing: 0,
  };
}
