import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { H264RtpPayload, MediaStreamTrack, type RTCPeerConnection, type RtpPacket } from 'werift';
import { createPeer } from '../../ingest/src/webrtc/peer.js';
import { bindUdp } from '../../ingest/src/webrtc/rtp-udp.js';
import { type IceServer, SDP_CONTENT_TYPE } from '../../protocol/webrtc.js';

/** How a test client gathers: loopback host candidates, or TURN relay only. */
export interface ClientIce {
  iceServers?: IceServer[];
  relayOnly?: boolean;
}

function clientPeer(ice: ClientIce = {}): RTCPeerConnection {
  return createPeer({
    iceServers: ice.iceServers ?? [],
    hostAddresses: ['127.0.0.1'],
    ...(ice.relayOnly ? { relayOnly: true } : {}),
  });
}

async function offerOf(pc: RTCPeerConnection): Promise<string> {
  await pc.setLocalDescription(await pc.createOffer());
  if (pc.iceGatheringState !== 'complete') {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 5000);
      pc.iceGatheringStateChange.subscribe((state) => {
        if (state === 'complete') {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  }
  return pc.localDescription?.sdp ?? '';
}

function waitConnected(pc: RTCPeerConnection, ms = 10_000): Promise<boolean> {
  if (pc.connectionState === 'connected') return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    pc.connectionStateChange.subscribe((state) => {
      if (state === 'connected') {
        clearTimeout(timer);
        resolve(true);
      }
    });
  });
}

export interface WhipPublish {
  status: number;
  /** The error body, when not 201. */
  body: string;
  location: string | null;
  connected: boolean;
  stop(): Promise<void>;
}

/**
 * Publish over WHIP as OBS would: FFmpeg encodes a 320x180 test picture (H.264 constrained
 * baseline, no B-frames, SPS/PPS before every IDR, 1 s GOP) and a tone (Opus) to RTP on loopback,
 * and a werift client sends that RTP over WebRTC to `whipUrl`, with `key` as the Bearer token.
 * bench/webrtc brings its own encoder (a burned-in clock).
 */
export async function publishWhip(
  whipUrl: string,
  key: string,
  options: {
    seconds?: number;
    /** Replaces the test-picture encoder (bench/webrtc pipes burned-in clock frames). */
    encoder?: (videoPort: number, audioPort: number) => ChildProcess;
    /** Sees every video RTP packet the encoder sent (bench/webrtc's baseline decoder). */
    onVideoRtp?: (packet: Buffer) => void;
  } = {},
): Promise<WhipPublish> {
  const pc = clientPeer();
  const video = new MediaStreamTrack({ kind: 'video' });
  const audio = new MediaStreamTrack({ kind: 'audio' });
  pc.addTransceiver(video, { direction: 'sendonly' });
  pc.addTransceiver(audio, { direction: 'sendonly' });
  const offer = await offerOf(pc);
  const res = await fetch(whipUrl, {
    method: 'POST',
    headers: { 'content-type': SDP_CONTENT_TYPE, authorization: `Bearer ${key}` },
    body: offer,
  });
  const body = await res.text();
  if (res.status !== 201) {
    await pc.close();
    return { status: res.status, body, location: null, connected: false, stop: async () => {} };
  }
  await pc.setRemoteDescription({ type: 'answer', sdp: body });
  const videoIn = await bindUdp(0);
  const audioIn = await bindUdp(0);
  videoIn.on('message', (data) => {
    video.writeRtp(data);
    options.onVideoRtp?.(data);
  });
  audioIn.on('message', (data) => audio.writeRtp(data));
  const connected = await waitConnected(pc);
  const ffmpeg = (options.encoder ?? ((v, a) => spawnEncoder(v, a, options)))(
    videoIn.address().port,
    audioIn.address().port,
  );

  const location = res.headers.get('location');
  return {
    status: res.status,
    body,
    location,
    connected,
    stop: async () => {
      ffmpeg.kill('SIGKILL');
      if (location) await fetch(new URL(location, whipUrl), { method: 'DELETE' }).catch(() => {});
      videoIn.close();
      audioIn.close();
      await pc.close();
    },
  };
}

function spawnEncoder(videoPort: number, audioPort: number, options: { seconds?: number }): ChildProcess {
  const size = '320x180';
  const rtp = (port: number) => `rtp://127.0.0.1:${port}?pkt_size=1200`;
  const child = spawn(
    'ffmpeg',
    [
      ...['-hide_banner', '-loglevel', 'error', '-re'],
      ...[
        '-f',
        'lavfi',
        '-i',
        `testsrc=size=${size}:rate=30`,
        '-f',
        'lavfi',
        '-i',
        'sine=frequency=440:sample_rate=48000',
      ],
      ...(options.seconds ? ['-t', String(options.seconds)] : []),
      ...[
        '-map',
        '0:v',
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-tune',
        'zerolatency',
        '-profile:v',
        'baseline',
      ],
      ...['-pix_fmt', 'yuv420p', '-g', '30', '-bf', '0', '-x264-params', 'repeat-headers=1'],
      ...['-payload_type', '96', '-ssrc', '1111', '-f', 'rtp', rtp(videoPort)],
      ...['-map', '1:a', '-c:a', 'libopus', '-ar', '48000', '-ac', '2', '-b:a', '64k'],
      ...['-payload_type', '111', '-ssrc', '2222', '-f', 'rtp', rtp(audioPort)],
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr?.resume();
  return child;
}

export interface WhepPlay {
  status: number;
  body: string;
  location: string | null;
  pc?: RTCPeerConnection;
  /** Milliseconds from the POST to the first video RTP packet, once one came. */
  firstPacketMs?: number;
  videoPackets: RtpPacket[];
  audioPackets: number;
  close(): Promise<void>;
}

/** Play over WHEP with a werift client: POST the offer to `whepUrl`, collect what arrives. */
export async function playWhep(
  whepUrl: string,
  options: ClientIce & { onVideo?: (packet: RtpPacket) => void } = {},
): Promise<WhepPlay> {
  const pc = clientPeer(options);
  pc.addTransceiver('video', { direction: 'recvonly' });
  pc.addTransceiver('audio', { direction: 'recvonly' });
  const play: WhepPlay = {
    status: 0,
    body: '',
    location: null,
    videoPackets: [],
    audioPackets: 0,
    close: async () => {
      if (play.location) await fetch(new URL(play.location, whepUrl), { method: 'DELETE' }).catch(() => {});
      await pc.close();
    },
  };
  const posted = Date.now();
  pc.onTrack.subscribe((track) => {
    track.onReceiveRtp.subscribe((rtp) => {
      if (track.kind === 'audio') {
        play.audioPackets++;
        return;
      }
      play.firstPacketMs ??= Date.now() - posted;
      if (play.videoPackets.length < 20_000) play.videoPackets.push(rtp);
      options.onVideo?.(rtp);
    });
  });
  const offer = await offerOf(pc);
  const res = await fetch(whepUrl, {
    method: 'POST',
    headers: { 'content-type': SDP_CONTENT_TYPE },
    body: offer,
  });
  play.status = res.status;
  play.body = await res.text();
  play.location = res.headers.get('location');
  if (res.status !== 201) {
    await pc.close();
    return play;
  }
  await pc.setRemoteDescription({ type: 'answer', sdp: play.body });
  play.pc = pc;
  return play;
}

/** Depacketise H.264 RTP into an Annex B stream (what a decoder takes). */
export function annexB(packets: RtpPacket[]): Buffer {
  const sorted = [...packets];
  const parts: Buffer[] = [];
  let fragment: Buffer | undefined;
  for (const packet of sorted) {
    const h264 = H264RtpPayload.deSerialize(packet.payload, fragment);
    fragment = h264.fragment;
    if (h264.payload?.length) parts.push(h264.payload);
  }
  return Buffer.concat(parts);
}

/** How many frames FFmpeg decodes from an Annex B H.264 stream. */
export function decodedFrames(stream: Buffer): number {
  const dir = mkdtempSync(path.join(tmpdir(), 'vidra-whep-'));
  try {
    const file = path.join(dir, 'in.h264');
    writeFileSync(file, stream);
    const probe = spawnSync(
      'ffprobe',
      [
        '-v',
        'error',
        '-count_frames',
        '-select_streams',
        'v:0',
        '-show_entries',
        'stream=nb_read_frames',
        '-of',
        'csv=p=0',
        file,
      ],
      { encoding: 'utf8' },
    );
    return Number.parseInt(probe.stdout.trim(), 10) || 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
