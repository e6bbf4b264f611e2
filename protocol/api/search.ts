import { z } from 'zod';
import { PageQuerySchema, pageOf, queryBoolean } from './list.js';
import { PeerTubeChannelPageSchema } from './peertube.js';
import { VideoSchema } from './videos.js';

/** Words of a search: letters and digits only, so nothing the user types reaches tsquery syntax. */
export const SEARCH_MAX_WORDS = 8;

/**
 * `GET /api/v1/search/videos` and `/search/video-channels`: PeerTube's `search`, with `q` as an
 * alias (`search` wins). Paging is the shared `start`/`count`/`cursor` (ADR 0015).
 */
export const SearchQuerySchema = PageQuerySchema.extend({
  search: z.string().max(200).optional(),
  q: z.string().max(200).optional(),
  tagsOneOf: z
    .union([z.string().max(30), z.array(z.string().max(30)).max(5)])
    .optional()
    .describe('Only videos carrying one of these tags (any case)'),
  isLive: queryBoolean().describe('true: videos on air only; false: no video on air'),
});
export type SearchQuery = z.input<typeof SearchQuerySchema>;

export const VideoSearchPageSchema = pageOf(VideoSchema);
export const ChannelSearchPageSchema = PeerTubeChannelPageSchema;
