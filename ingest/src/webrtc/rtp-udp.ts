import { createSocket, type Socket } from 'node:dgram';
import { RtpPacket } from 'werift';

/** Bind a UDP socket on loopback; port 0 lets the OS pick. */
export function bindUdp(port = 0): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    socket.bind(port, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });
}

/**
 * Two free loopback port pairs (RTP on an even port, RTCP on the next) for FFmpeg to bind. The OS
 * picks them; they are released before FFmpeg binds them, so a rare race makes FFmpeg fail, and
 * the caller starts it again on fresh ports.
 */
export async function freeRtpPorts(): Promise<{ video: number; audio: number }> {
  const ports: number[] = [];
  const held: Socket[] = [];
  try {
    while (ports.length < 2) {
      const probe = await bindUdp(0);
      held.push(probe);
      const port = probe.address().port;
      const even = port % 2 === 0 ? port : port + 1;
      const pair = await Promise.all([bindUdp(even), bindUdp(even + 1)]).catch(() => undefined);
      if (!pair) continue;
      held.push(...pair);
      ports.push(even);
    }
  } finally {
    for (const socket of held) socket.close();
  }
  return { video: ports[0] as number, audio: ports[1] as number };
}

/**
 * Receive RTP on a loopback port (what FFmpeg sends): every datagram that parses as RTP goes to
 * `onPacket`; anything else is dropped, never thrown.
 */
export async function receiveRtp(port: number, onPacket: (packet: RtpPacket) => void): Promise<Socket> {
  const socket = await bindUdp(port);
  socket.on('message', (data) => {
    if (data.length < 12 || data[0] === undefined || data[0] >> 6 !== 2) return;
    try {
      onPacket(RtpPacket.deSerialize(data));
    } catch {
      // A malformed datagram is not media.
    }
  });
  return socket;
}
