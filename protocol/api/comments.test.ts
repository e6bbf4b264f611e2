import { describe, expect, expectTypeOf, it } from 'vitest';
import { toJSONSchema } from 'zod';
import type * as z from 'zod/mini';
import {
  type CommentDto,
  CommentSchema,
  CommentsPolicyInputSchema,
  CommentThreadPageSchema,
  CommentTreeSchema,
  CreatedCommentSchema,
} from './comments.js';
import {
  AbuseMiniSchema,
  AbusePageMiniSchema,
  CommentMiniSchema,
  CommentThreadPageMiniSchema,
  CommentTreeMiniSchema,
  CreatedCommentMiniSchema,
} from './comments-mini.js';
import { AbusePageSchema, AbuseSchema, CreateAbuseInputSchema } from './moderation.js';

const comment: CommentDto = {
  id: 7,
  url: '/w/0b6f1c5e-8a4d-4c3b-9e2f-7a1d5c6b8e90#comment-7',
  text: 'hi',
  html: '<p>hi</p>',
  threadId: 7,
  inReplyToCommentId: null,
  videoId: 3,
  videoUuid: '0b6f1c5e-8a4d-4c3b-9e2f-7a1d5c6b8e90',
  createdAt: '2025-01-02T03:04:05.678Z',
  updatedAt: '2025-01-02T03:04:05.678Z',
  deletedAt: null,
  heldForReview: false,
  isDeleted: false,
  totalRepliesFromVideoAuthor: 0,
  totalReplies: 0,
  likes: 1,
  likedByMe: false,
  account: {
    name: 'alice',
    host: null,
    displayName: 'alice',
    url: '/accounts/alice',
    avatars: [],
    userId: '4f1c2b7e-3d5a-4e8f-9a6b-1c2d3e4f5a6b',
  },
};

describe('comment and report API contracts', () => {
  it('the zod/mini twins the edge parses describe exactly what the origin publishes', () => {
    expect(toJSONSchema(CommentMiniSchema)).toEqual(toJSONSchema(CommentSchema));
    expect(toJSONSchema(CommentThreadPageMiniSchema)).toEqual(toJSONSchema(CommentThreadPageSchema));
    expect(toJSONSchema(CreatedCommentMiniSchema)).toEqual(toJSONSchema(CreatedCommentSchema));
    expect(toJSONSchema(CommentTreeMiniSchema)).toEqual(toJSONSchema(CommentTreeSchema));
    expect(toJSONSchema(AbuseMiniSchema)).toEqual(toJSONSchema(AbuseSchema));
    expect(toJSONSchema(AbusePageMiniSchema)).toEqual(toJSONSchema(AbusePageSchema));
    expectTypeOf<z.output<typeof CommentMiniSchema>>().toEqualTypeOf<CommentDto>();
  });

  it('both read a tombstone and a nested tree, and refuse a string id', () => {
    const tombstone = {
      ...comment,
      text: '',
      html: '',
      isDeleted: true,
      account: null,
      deletedAt: comment.createdAt,
    };
    const tree = { comment, children: [{ comment: tombstone, children: [] }] };
    for (const [one, nested] of [
      [CommentSchema, CommentTreeSchema],
      [CommentMiniSchema, CommentTreeMiniSchema],
    ] as const) {
      expect(one.safeParse(tombstone).success).toBe(true);
      expect(nested.safeParse(tree).success).toBe(true);
      expect(one.safeParse({ ...comment, id: '7' }).success).toBe(false);
    }
  });

  it("reads PeerTube's policy numbers and our names alike", () => {
    expect(CommentsPolicyInputSchema.parse(3)).toBe('approval');
    expect(CommentsPolicyInputSchema.parse(2)).toBe('disabled');
    expect(CommentsPolicyInputSchema.parse('enabled')).toBe('enabled');
    expect(CommentsPolicyInputSchema.safeParse(4).success).toBe(false);
  });

  it('takes a report on exactly one target', () => {
    const video = { id: comment.videoUuid };
    expect(CreateAbuseInputSchema.safeParse({ reason: 'spam!', video }).success).toBe(true);
    expect(CreateAbuseInputSchema.safeParse({ reason: 'spam!' }).success).toBe(false);
    expect(CreateAbuseInputSchema.safeParse({ reason: 'spam!', video, comment: { id: 1 } }).success).toBe(
      false,
    );
    expect(CreateAbuseInputSchema.safeParse({ reason: 'x', video }).success).toBe(false);
  });
});
