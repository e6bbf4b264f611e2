import { describe, expect, it } from 'vitest';
import { AS_PUBLIC } from './paths.js';
import {
  buildAnnounce,
  buildRatingActivity,
  buildRemoteCommentCreate,
  buildUndo,
} from './social-activities.js';

const AS = 'https://www.w3.org/ns/activitystreams';
const sender = {
  actor: 'https://a.example/accounts/fan',
  followers: 'https://a.example/accounts/fan/followers',
};
const video = 'https://b.example/videos/watch/6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f';

describe('social activities, exact output', () => {
  it('Like and its Undo, the Like embedded without its context', () => {
    const like = buildRatingActivity('Like', { id: `${sender.actor}/likes/1`, sender, videoUrl: video });
    expect(like).toEqual({
      '@context': AS,
      type: 'Like',
      id: `${sender.actor}/likes/1`,
      actor: sender.actor,
      object: video,
      to: [AS_PUBLIC],
      cc: [sender.followers],
    });
    expect(buildUndo({ id: `${like.id}/undo`, sender, object: like })).toEqual({
      '@context': AS,
      type: 'Undo',
      id: `${sender.actor}/likes/1/undo`,
      actor: sender.actor,
      object: {
        type: 'Like',
        id: `${sender.actor}/likes/1`,
        actor: sender.actor,
        object: video,
        to: [AS_PUBLIC],
        cc: [sender.followers],
      },
      to: [AS_PUBLIC],
      cc: [sender.followers],
    });
  });

  it('Create(Note) of a comment on a remote video: in reply to the video, or to a comment', () => {
    const input = {
      noteId: 'https://a.example/videos/watch/x/comments/7',
      sender,
      videoUrl: video,
      html: '<p>Hi</p>',
      publishedAt: new Date('2026-12-01T10:00:00.000Z'),
    };
    const note = {
      type: 'Note',
      id: input.noteId,
      content: '<p>Hi</p>',
      mediaType: 'text/html',
      inReplyTo: video,
      context: video,
      attributedTo: sender.actor,
      published: '2026-12-01T10:00:00.000Z',
      url: input.noteId,
      tag: [],
      to: [AS_PUBLIC],
      cc: [sender.followers],
    };
    expect(buildRemoteCommentCreate(input)).toEqual({
      '@context': AS,
      type: 'Create',
      id: `${input.noteId}/activity`,
      actor: sender.actor,
      object: note,
      to: [AS_PUBLIC],
      cc: [sender.followers],
    });
    const reply = buildRemoteCommentCreate({ ...input, inReplyTo: 'https://b.example/c/3' });
    expect(reply.object.inReplyTo).toBe('https://b.example/c/3');
    expect(reply.object.context).toBe(video);
  });

  it('Announce of a public and of an unlisted video', () => {
    const id = `${video}/announces/1`;
    expect(buildAnnounce({ id, sender, objectUrl: video, unlisted: false })).toEqual({
      '@context': AS,
      type: 'Announce',
      id,
      actor: sender.actor,
      object: video,
      to: [AS_PUBLIC],
      cc: [sender.followers],
    });
    expect(buildAnnounce({ id, sender, objectUrl: video, unlisted: true })).toMatchObject({
      to: [sender.followers],
      cc: [AS_PUBLIC],
    });
  });
});
