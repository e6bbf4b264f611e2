import WebSocket from 'ws';

/** One run's figures: what every client received of what the senders sent. */
export interface RoomFigures {
  sent: number;
  acked: number;
  /** Answered with an `error` frame (e.g. the rate limit, when a stalled sender catches up). */
  refused: number;
  deliveries: number;
  expected: number;
  seconds: number;
  /** Send-to-receive latencies in ms, for receivers on the sender's origin and on the other one. */
  same: number[];
  cross: number[];
}

const now = () => performance.timeOrigin + performance.now();

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** Open `count` sockets to `url` (with `headers` per index), at most 50 handshakes at a time. */
export async function openSockets(
  count: number,
  url: (i: number) => string,
  headers: (i: number) => Record<string, string> = () => ({}),
): Promise<WebSocket[]> {
  const sockets: WebSocket[] = [];
  for (let start = 0; start < count; start += 50) {
    const batch = Array.from({ length: Math.min(50, count - start) }, (_, k) => {
      const ws = new WebSocket(url(start + k), { headers: headers(start + k) });
      return new Promise<WebSocket>((resolve, reject) => {
        ws.once('open', () => resolve(ws));
        ws.once('error', reject);
        ws.once('unexpected-response', (_req, res) =>
          reject(new Error(`upgrade refused: ${res.statusCode}`)),
        );
      });
    });
    sockets.push(...(await Promise.all(batch)));
  }
  return sockets;
}

/**
 * Drive one room: `senders` post in turn so that `rate` messages/s go out in total for `seconds`,
 * each text carrying its send time; every socket (senders included) records each message it
 * receives. `group(i)` names the origin socket i is on, to split same-origin and cross-origin latency.
 */
export async function driveRoom(options: {
  sockets: WebSocket[];
  senders: WebSocket[];
  group: (socket: WebSocket) => string;
  rate: number;
  seconds: number;
  /** Frame to send for message n (the bare floor and Vidra speak different frames). */
  frame: (text: string, n: number) => string;
  /** The server acknowledges messages (Vidra): loss counts acknowledged ones only. */
  acks: boolean;
}): Promise<RoomFigures> {
  const { sockets, senders, rate, seconds } = options;
  const figures: RoomFigures = {
    sent: 0,
    acked: 0,
    refused: 0,
    deliveries: 0,
    expected: 0,
    seconds,
    same: [],
    cross: [],
  };
  const senderGroup = new Map<string, string>();
  for (const socket of sockets) {
    const mine = options.group(socket);
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { type: string; text?: string };
      if (frame.type === 'ack') figures.acked += 1;
      if (frame.type === 'error') figures.refused += 1;
      if (frame.type !== 'message' || !frame.text?.startsWith('bench:')) return;
      const [, key, at] = frame.text.split(':');
      figures.deliveries += 1;
      const latency = now() - Number(at);
      (senderGroup.get(key as string) === mine ? figures.same : figures.cross).push(latency);
    });
  }
  const total = Math.round(rate * seconds);
  const started = now();
  for (let n = 0; n < total; n++) {
    const due = started + (n * 1000) / rate;
    const wait = due - now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const sender = senders[n % senders.length] as WebSocket;
    const key = `m${n}`;
    senderGroup.set(key, options.group(sender));
    sender.send(options.frame(`bench:${key}:${now()}`, n));
    figures.sent += 1;
  }
  // Stragglers: wait until every answer and delivery came, or 5 s. A message is owed to every
  // socket once acknowledged (the bare floor acknowledges nothing: all it was sent is owed).
  const owed = () => (options.acks ? figures.acked : figures.sent) * sockets.length;
  const pending = () => options.acks && figures.acked + figures.refused < figures.sent;
  const deadline = now() + 5000;
  while ((figures.deliveries < owed() || pending()) && now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
  figures.expected = owed();
  for (const socket of sockets) socket.removeAllListeners('message');
  return figures;
}
