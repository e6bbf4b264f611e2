import type { ChatMessagesPage } from '../../../../protocol/chat.js';
import { ChatMessagesQuerySchema } from '../../../../protocol/chat.js';
import type { Viewer } from '../../auth/access-tokens.js';
import { ServiceError } from '../../lib/errors.js';
import { assertNotSuspended } from '../accounts/suspension.js';
import type { ServiceContext } from '../context.js';
import { loadViewableVideo, type VideoViewRequest } from '../videos/read.js';
import { messagesFrom } from './store.js';

/**
 * Whether a caller may open a video's chat: reading needs the right to see the video (the same
 * rules as `GET /api/v1/videos/:id`, so a refusal is the same error), posting an account that is
 * not suspended. Throws the refusal; runs before the WebSocket upgrade.
 */
export async function authorizeChat(
  ctx: ServiceContext,
  input: VideoViewRequest,
): Promise<{ canPost: boolean }> {
  await loadViewableVideo(ctx, input);
  if (!input.viewer) return { canPost: false };
  return { canPost: await mayWrite(ctx, input.viewer) };
}

async function mayWrite(ctx: ServiceContext, viewer: Viewer): Promise<boolean> {
  try {
    await assertNotSuspended(ctx, viewer.userId);
    return true;
  } catch (error) {
    if (error instanceof ServiceError) return false;
    throw error;
  }
}

/** The messages of a room from an offset on, for the replay beside the recording. */
export async function chatReplay(
  ctx: ServiceContext,
  input: VideoViewRequest & { query: unknown },
): Promise<ChatMessagesPage> {
  await loadViewableVideo(ctx, input);
  const query = ChatMessagesQuerySchema.parse(input.query);
  const messages = await messagesFrom(ctx, input.id, query.fromOffsetMs, query.limit + 1);
  const page = messages.slice(0, query.limit);
  const last = page.at(-1);
  // Offsets are milliseconds and may repeat; the next page starts at the last one (the client drops repeats by id).
  return messages.length > query.limit && last
    ? { messages: page, nextOffsetMs: last.offsetMs }
    : { messages: page };
}
