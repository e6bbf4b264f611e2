import { describe, expect, it } from 'vitest';
import type { DomainEvent, EventPayload } from '../../../../protocol/events.js';
import type { Privacy } from '../../../../protocol/video.js';
import { planNotices } from './plan.js';

const videoId = '0b6f1c5e-8a4d-4c3b-9e2f-7a1d5c6b8e90';
const channelId = '4f1c2b7e-3d5a-4e8f-9a6b-1c2d3e4f5a6b';
const [author, parent, owner] = [
  '11111111-1111-4111-8111-111111111111',
  '22222222-2222-4222-8222-222222222222',
  '33333333-3333-4333-8333-333333333333',
];

const published = (over: Partial<EventPayload<'video.published'>>): DomainEvent => ({
  type: 'video.published',
  payload: {
    videoId,
    channelId,
    privacy: 'public',
    stage: 'preview',
    republished: false,
    assetVersion: 1,
    ...over,
  },
});
const comment = (over: Partial<EventPayload<'comment.created'>>): DomainEvent => ({
  type: 'comment.created',
  payload: {
    videoId,
    channelId,
    commentId: 7,
    threadId: 5,
    authorId: author,
    inReplyToAuthorId: parent,
    videoOwnerId: owner,
    visible: true,
    ...over,
  },
});
const kinds = (event: DomainEvent) => planNotices(event).map((p) => [p.kind, p.to]);

describe('planNotices', () => {
  it('tells the owner and the subscribers when a public or internal video is first published', () => {
    for (const privacy of ['public', 'internal'] as const) {
      expect(kinds(published({ privacy }))).toEqual([
        ['my_video_published', { owner: true }],
        ['new_video_from_subscription', { subscribers: true }],
      ]);
    }
    expect(kinds(published({ stage: 'final' }))).toHaveLength(2);
  });

  it('tells only the owner about a video subscribers may not find', () => {
    for (const privacy of ['unlisted', 'password', 'private'] as const) {
      expect(kinds(published({ privacy }))).toEqual([['my_video_published', { owner: true }]]);
    }
  });

  it('tells subscribers when a video is made public or internal, not when it stays announced', () => {
    const changed = (from: Privacy, to: Privacy): DomainEvent => ({
      type: 'video.privacy_changed',
      payload: { videoId, channelId, from, to },
    });
    expect(kinds(changed('private', 'public'))).toEqual([
      ['new_video_from_subscription', { subscribers: true }],
    ]);
    expect(kinds(changed('unlisted', 'internal'))).toHaveLength(1);
    expect(kinds(changed('internal', 'public'))).toEqual([]);
    expect(kinds(changed('public', 'private'))).toEqual([]);
    expect(kinds(changed('private', 'password'))).toEqual([]);
  });

  it('says nothing when renditions are replaced (a republish)', () => {
    expect(kinds(published({ stage: 'final', republished: true }))).toEqual([]);
  });

  it('tells the owner a video failed, and owner and subscribers a live started', () => {
    expect(kinds({ type: 'video.failed', payload: { videoId, channelId, reason: 'bad file' } })).toEqual([
      ['my_video_failed', { owner: true }],
    ]);
    expect(kinds({ type: 'live.started', payload: { videoId, channelId, streamId: videoId } })).toEqual([
      ['my_live_started', { owner: true }],
      ['new_live_from_subscription', { subscribers: true }],
    ]);
  });

  it('tells the replied-to author and the video owner of a comment, the reply first', () => {
    expect(kinds(comment({}))).toEqual([
      ['reply_to_my_comment', { userId: parent }],
      ['new_comment_on_my_video', { userId: owner }],
    ]);
    expect(planNotices(comment({}))[0]?.refs).toEqual({
      channelId,
      videoId,
      commentId: 7,
      threadId: 5,
      actorId: author,
    });
    expect(kinds(comment({ inReplyToAuthorId: null }))).toEqual([
      ['new_comment_on_my_video', { userId: owner }],
    ]);
  });

  it('never tells authors about their own comments, and says nothing of a held comment', () => {
    expect(kinds(comment({ inReplyToAuthorId: author }))).toEqual([
      ['new_comment_on_my_video', { userId: owner }],
    ]);
    expect(kinds(comment({ videoOwnerId: author, inReplyToAuthorId: null }))).toEqual([]);
    expect(kinds(comment({ visible: false }))).toEqual([]);
  });

  it('makes nothing of events that are not news to anyone', () => {
    expect(kinds({ type: 'follow.created', payload: { channelId, followerId: author } })).toEqual([]);
  });
});
