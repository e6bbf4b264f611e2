import { describe, expect, expectTypeOf, it } from 'vitest';
import { toJSONSchema } from 'zod';
import type * as z from 'zod/mini';
import {
  AddedPlaylistElementMiniSchema,
  ChannelSearchPageMiniSchema,
  CreatedPlaylistMiniSchema,
  HistoryPageMiniSchema,
  PlaylistElementPageMiniSchema,
  PlaylistMiniSchema,
  PlaylistPageMiniSchema,
  VideoSearchPageMiniSchema,
  VideosExistMiniSchema,
} from './discover-mini.js';
import {
  AddedPlaylistElementSchema,
  CreatedPlaylistSchema,
  CreatePlaylistInputSchema,
  type PlaylistDto,
  PlaylistElementPageSchema,
  PlaylistPageSchema,
  PlaylistSchema,
  VideosExistSchema,
} from './playlists.js';
import { ChannelSearchPageSchema, SearchQuerySchema, VideoSearchPageSchema } from './search.js';
import { TagsSchema } from './videos.js';
import { HistoryPageSchema } from './views.js';

describe('search, playlist and history contracts', () => {
  it('the zod/mini twins the edge parses describe exactly what the origin publishes', () => {
    const pairs = [
      [VideoSearchPageMiniSchema, VideoSearchPageSchema],
      [ChannelSearchPageMiniSchema, ChannelSearchPageSchema],
      [PlaylistMiniSchema, PlaylistSchema],
      [CreatedPlaylistMiniSchema, CreatedPlaylistSchema],
      [PlaylistPageMiniSchema, PlaylistPageSchema],
      [PlaylistElementPageMiniSchema, PlaylistElementPageSchema],
      [AddedPlaylistElementMiniSchema, AddedPlaylistElementSchema],
      [HistoryPageMiniSchema, HistoryPageSchema],
      [VideosExistMiniSchema, VideosExistSchema],
    ] as const;
    for (const [mini, classic] of pairs) expect(toJSONSchema(mini)).toEqual(toJSONSchema(classic));
    expectTypeOf<z.output<typeof PlaylistMiniSchema>>().toEqualTypeOf<PlaylistDto>();
  });

  it("takes PeerTube's privacy numbers or our names, and refuses others", () => {
    expect(CreatePlaylistInputSchema.parse({ displayName: 'a', privacy: 2 }).privacy).toBe('unlisted');
    expect(CreatePlaylistInputSchema.parse({ displayName: 'a', privacy: '3' }).privacy).toBe('private');
    expect(CreatePlaylistInputSchema.parse({ displayName: 'a' }).privacy).toBe('private');
    for (const privacy of [0, 4, 'internal', 'password'])
      expect(CreatePlaylistInputSchema.safeParse({ displayName: 'a', privacy }).success).toBe(false);
  });

  it("holds tags to PeerTube's limits and drops repeats in any case", () => {
    expect(TagsSchema.parse([' Piano ', 'piano', 'Jazz'])).toEqual(['Piano', 'Jazz']);
    expect(TagsSchema.safeParse(['a']).success).toBe(false);
    expect(TagsSchema.safeParse(['x'.repeat(31)]).success).toBe(false);
    expect(TagsSchema.safeParse(['aa', 'bb', 'cc', 'dd', 'ee', 'ff']).success).toBe(false);
  });

  it('accepts search or q and one or several tags', () => {
    expect(SearchQuerySchema.parse({ q: 'etu' })).toMatchObject({ q: 'etu', start: 0, count: 15 });
    expect(SearchQuerySchema.parse({ tagsOneOf: ['a', 'b'] }).tagsOneOf).toEqual(['a', 'b']);
    expect(SearchQuerySchema.safeParse({ search: 'x'.repeat(201) }).success).toBe(false);
  });
});
