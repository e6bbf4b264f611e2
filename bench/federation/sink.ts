import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  parseRequestSignature,
  verifyDigestHeader,
  verifyDraftSignature,
} from '@misskey-dev/node-http-message-signatures';

export interface SinkOptions {
  hosts: number;
  latencyMs: number;
  /** Inboxes (by index) whose first arrival of each activity answers 503. */
  flaky: (inbox: number) => boolean;
}

/**
 * The receiving side of the fan-out: `hosts` servers on loopback (so per-host limits apply),
 * each answering after `latencyMs`. Every arrival's Digest and draft-cavage signature are checked
 * with Misskey's library against the sender's key; the receiver dedupes by (inbox, activity id),
 * counting repeats instead of processing them twice.
 */
export async function startSink(options: SinkOptions) {
  let publicKey: CryptoKey | undefined;
  let inFlight = 0;
  let peakInFlight = 0;
  const processed = new Map<string, Set<number>>(); // activity id -> inboxes that processed it
  const stats = { arrivals: 0, verified: 0, refused: 0, answered503: 0, repeats: 0 };
  const first503 = new Set<string>();

  async function handle(req: IncomingMessage, body: string): Promise<number> {
    stats.arrivals += 1;
    const inbox = Number(/^\/users\/(\d+)\/inbox$/.exec(req.url ?? '')?.[1]);
    const request = { method: req.method ?? 'POST', url: req.url ?? '/', headers: req.headers };
    const parsed = parseRequestSignature(request as never);
    const ok =
      (await verifyDigestHeader(request as never, body, true)) &&
      parsed.version === 'draft' &&
      publicKey !== undefined &&
      (await verifyDraftSignature(parsed.value as never, publicKey));
    if (!ok || Number.isNaN(inbox)) {
      stats.refused += 1;
      return 401;
    }
    stats.verified += 1;
    const id = (JSON.parse(body) as { id: string }).id;
    const key = `${id} ${inbox}`;
    if (options.flaky(inbox) && !first503.has(key)) {
      first503.add(key);
      stats.answered503 += 1;
      return 503;
    }
    const inboxes = processed.get(id) ?? new Set<number>();
    processed.set(id, inboxes);
    if (inboxes.has(inbox)) stats.repeats += 1;
    else inboxes.add(inbox);
    return 202;
  }

  const servers: Server[] = [];
  const bases: string[] = [];
  for (let i = 0; i < options.hosts; i++) {
    const server = createServer((req, res) => {
      inFlight += 1;
      peakInFlight = Math.max(peakInFlight, inFlight);
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        setTimeout(() => {
          handle(req, body)
            .catch(() => 500)
            .then((status) => {
              inFlight -= 1;
              res.writeHead(status).end();
            });
        }, options.latencyMs);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    bases.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  }
  return {
    stats,
    inboxUrl: (inbox: number) => `${bases[inbox % bases.length]}/users/${inbox}/inbox`,
    /** The sender's key, imported once (not once per request, which would bench the sink). */
    async setPublicKey(pem: string) {
      const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
      publicKey = await crypto.subtle.importKey(
        'spki',
        der,
        { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
        false,
        ['verify'],
      );
    },
    delivered: (id: string) => processed.get(id)?.size ?? 0,
    ids: () => [...processed.keys()],
    peak: () => peakInFlight,
    resetPeak: () => {
      peakInFlight = inFlight;
    },
    stop: () => Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())))),
  };
}
