import { describe, expect, it } from 'vitest';
import { NOTIFICATION_KIND_NAMES } from '../../../../protocol/api/notifications.js';
import { renderNoticeMail } from './mail.js';

const base = {
  to: 'ada@example.com',
  videoTitle: 'Cats',
  videoId: '0b6f1c5e-8a4d-4c3b-9e2f-7a1d5c6b8e90',
  channelName: 'Studio',
  actorName: 'grace',
  publicUrl: 'https://vidra.example',
};

describe('renderNoticeMail', () => {
  it('names what happened in the subject and links the video and the settings', () => {
    const mail = renderNoticeMail({ ...base, kind: 'reply_to_my_comment' });
    expect(mail).toEqual({
      to: 'ada@example.com',
      subject: 'grace replied to your comment on "Cats"',
      text:
        'grace replied to your comment on "Cats".\n\nhttps://vidra.example/w/0b6f1c5e-8a4d-4c3b-9e2f-7a1d5c6b8e90' +
        '\n\nChoose what you are told: https://vidra.example/notifications\n',
    });
  });

  it('has a distinct subject for every kind, and reads without names or links', () => {
    const subjects = NOTIFICATION_KIND_NAMES.map((kind) => renderNoticeMail({ ...base, kind }).subject);
    expect(new Set(subjects).size).toBe(NOTIFICATION_KIND_NAMES.length);
    const bare = renderNoticeMail({
      ...base,
      kind: 'new_comment_on_my_video',
      videoTitle: null,
      actorName: null,
      publicUrl: undefined,
    });
    expect(bare).toEqual({
      to: base.to,
      subject: 'Someone commented on your video',
      text: 'Someone commented on your video.\n',
    });
  });
});
