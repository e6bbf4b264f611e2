import { z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { createRouter, errorResponses } from '../lib/http.js';
import { listVideoEvents, videoStatus } from '../services/videos/events.js';
import { getVideo } from '../services/videos/read.js';

const POLL_MS = 500;
const IdParam = z.string().uuid('Not a video id');

/**
 * `GET /api/v1/videos/:id/events`: server-sent events. Each state change is an `state` event whose
 * id can be sent back as Last-Event-ID to resume; `progress` events report the percentage in
 * between, and for a ready video still encoding its ladder, `processing: { stage, progress }`
 * (null otherwise). The stream ends once the video is ready with nothing left to encode, failed or
 * deleted.
 * The table is polled, so events reach the client whichever origin the job completed on.
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

    return streamSSE(c, async (stream) => {
      let lastId = resumeFrom;
      let lastStatus = '';
      while (!stream.aborted && !stream.closed) {
        for (const event of await listVideoEvents(services, id, lastId)) {
          await stream.writeSSE({ id: String(event.id), event: 'state', data: JSON.stringify(event) });
          lastId = event.id;
        }
        const status = await videoStatus(services, id);
        if (!status) return;
        const data = JSON.stringify(status);
        if (data !== lastStatus) {
          await stream.writeSSE({ event: 'progress', data });
          lastStatus = data;
        }
        // A ready video whose ladder job failed for good keeps its preview and ends the stream too.
        const settled =
          status.state === 'failed' ||
          status.state === 'deleted' ||
          (status.state === 'ready' && status.processing === null);
        if (settled) return;
        await stream.sleep(POLL_MS);
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
