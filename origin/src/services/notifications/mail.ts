import type { NotificationKind } from '../../../../protocol/api/notifications.js';
import type { MailMessage } from '../mail/mailer.js';

/** What a notice's mail says, from the names it points at. */
export interface NoticeMailInput {
  to: string;
  kind: NotificationKind;
  videoTitle: string | null;
  videoId: string | null;
  channelName: string | null;
  actorName: string | null;
  /** Where the instance is reached, without a trailing slash; links are left out without it. */
  publicUrl: string | undefined;
}

const quoted = (title: string | null) => (title ? `"${title}"` : 'your video');

/** Subject and text of a notice's mail. Pure, so every kind's wording is unit-tested. */
export function renderNoticeMail(input: NoticeMailInput): MailMessage {
  const video = quoted(input.videoTitle);
  const channel = input.channelName ?? 'A channel you follow';
  const actor = input.actorName ?? 'Someone';
  const subjects: Record<NotificationKind, string> = {
    new_video_from_subscription: `${channel} published ${video}`,
    new_live_from_subscription: `${channel} is live: ${video}`,
    my_video_published: `${video} is ready to watch`,
    my_video_failed: `${video} could not be processed`,
    my_live_started: `Your live ${video} is on air`,
    reply_to_my_comment: `${actor} replied to your comment on ${video}`,
    new_comment_on_my_video: `${actor} commented on ${video}`,
  };
  const subject = subjects[input.kind];
  const link = input.publicUrl && input.videoId ? `\n\n${input.publicUrl}/w/${input.videoId}` : '';
  const settings = input.publicUrl ? `\n\nChoose what you are told: ${input.publicUrl}/notifications` : '';
  return { to: input.to, subject, text: `${subject}.${link}${settings}\n` };
}
