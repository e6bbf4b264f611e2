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
 * between. The stream ends once the video is ready with its full ladder, failed or deleted.
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
      let lastProgress = -1;
      while (!stream.aborted && !stream.closed) {
        for (const event of await listVideoEvents(services, id, lastId)) {
          await stream.writeSSE({ id: String(event.id), event: 'state', data: JSON.stringify(event) });
          lastId = event.id;
        }
        const status = await videoStatus(services, id);
        if (!status) return;
        if (status.progress !== lastProgress) {
          await stream.writeSSE({ event: 'progress', data: JSON.stringify(status) });
          lastProgress = status.progress;
        }
        const settled =
          status.state === 'failed' ||
          status.state === 'deleted' ||
          (status.state === 'ready' && status.progress === 100);
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
