import { z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { createRouter, errorResponses } from '../lib/http.js';
import { listVideoEvents, videoStatus } from '../services/videos/events.js';
import { getVideo } from '../services/videos/read.js';

/** Safety net only: streams wake on change notifications (LISTEN), not on this timer. */
const FALLBACK_CHECK_MS = 15_000;
const IdParam = z.string().uuid('Not a video id');

/** Why a stream ended, in its final `end` event. */
type EndReason = 'settled' | 'idle';

/**
 * `GET /api/v1/videos/:id/events`: server-sent events. Each state change is a `state` event whose
 * id can be sent back as Last-Event-ID to resume; `progress` events report the percentage in
 * between, and for a ready video still encoding its ladder, `processing: { stage, progress }`
 * (null otherwise). The stream ends with a final `end` event, `{ state, reason }`: `settled` once
 * the video is ready with nothing left to encode, failed or deleted; `idle` after
 * `SSE_IDLE_SECONDS` without any change (a video that never gets a file). Clients stop on `end`
 * rather than reconnecting.
 * Streams wait on video change notifications (PostgreSQL LISTEN/NOTIFY, sent in the transaction
 * that changed the video), so events reach the client whichever origin made the change, and an
 * idle stream costs no queries.
 */
export function videoEventRoutes() {
  const router = createRouter();
  router.get('/api/v1/videos/:id/events', async (c) => {
    const services = c.get('services');
    const id = IdParam.parse(c.req.param('id'));
    // Same access rules as reading the video; this throws 401/403/404 before the stream opens.
    await getVideo(services, {
      id,
      viewer: c.get('viewer'),
      password: c.req.header('x-video-password'),
      ip: c.get('clientIp'),
    });
    const resumeFrom = Number(c.req.header('last-event-id') ?? c.req.query('lastEventId') ?? 0) || 0;
    const idleMs = services.config.events.idleSeconds * 1000;

    return streamSSE(c, async (stream) => {
      const gone = new AbortController();
      stream.onAbort(() => gone.abort());
      const end = (state: string, reason: EndReason) =>
        stream.writeSSE({ event: 'end', data: JSON.stringify({ state, reason }) });
      let lastId = resumeFrom;
      let lastStatus = '';
      let lastChangeAt = Date.now();
      while (!stream.aborted && !stream.closed) {
        for (const event of await listVideoEvents(services, id, lastId)) {
          await stream.writeSSE({ id: String(event.id), event: 'state', data: JSON.stringify(event) });
          lastId = event.id;
          lastChangeAt = Date.now();
        }
        const status = await videoStatus(services, id);
        if (!status) return end('deleted', 'settled');
        const data = JSON.stringify(status);
        if (data !== lastStatus) {
          await stream.writeSSE({ event: 'progress', data });
          lastStatus = data;
          lastChangeAt = Date.now();
        }
        // A ready video whose ladder job failed for good keeps its preview and ends the stream too.
        const settled =
          status.state === 'failed' ||
          status.state === 'deleted' ||
          (status.state === 'ready' && status.processing === null);
        if (settled) return end(status.state, 'settled');
        const idleLeft = idleMs - (Date.now() - lastChangeAt);
        if (idleLeft <= 0) return end(status.state, 'idle');
        await services.videoChanges.next(id, Math.min(idleLeft, FALLBACK_CHECK_MS), gone.signal);
      }
    });
  });
  router.openAPIRegistry.registerPath({
    method: 'get',
    path: '/api/v1/videos/{id}/events',
    tags: ['videos'],
    summary: 'Server-sent events: state changes (resumable with Last-Event-ID) and progress',
    request: { params: z.object({ id: IdParam }) },
    responses: {
      200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: z.string() } } },
      ...errorResponses(400, 401, 403, 404),
    },
  });
  return router;
}
