import { RTCPeerConnection, RTCRtpCodecParameters } from 'werift';
import type { IceServer } from '../../../protocol/webrtc.js';

/** How this node's peer connections gather ICE candidates (see docs/deploy/webrtc.md). */
export interface PeerOptions {
  iceServers: IceServer[];
  /** UDP ports ICE may bind (open these in the firewall); undefined: any. */
  portRange?: [number, number];
  /** Extra host candidates (loopback, a public address behind 1:1 NAT). */
  hostAddresses: string[];
  /** Use TURN relay candidates only (tests of a viewer behind NAT). */
  relayOnly?: boolean;
}

const VIDEO_FEEDBACK = [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'goog-remb' }];

/** H.264 as OBS and browsers offer it (packetization-mode 1), constrained baseline first; Opus. */
function codecs() {
  const h264 = (profile: string) =>
    new RTCRtpCodecParameters({
      mimeType: 'video/H264',
      clockRate: 90_000,
      rtcpFeedback: VIDEO_FEEDBACK,
      parameters: `level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=${profile}`,
    });
  return {
    video: ['42e01f', '42001f', '4d001f', '640c1f', '64001f'].map(h264),
    audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48_000, channels: 2 })],
  };
}

export function createPeer(options: PeerOptions): RTCPeerConnection {
  return new RTCPeerConnection({
    codecs: codecs(),
    iceServers: options.iceServers,
    iceTransportPolicy: options.relayOnly ? 'relay' : 'all',
    icePortRange: options.portRange,
    iceAdditionalHostAddresses: options.hostAddresses.length ? options.hostAddresses : undefined,
    iceUseIpv6: false,
    iceStunGatherTimeout: 2,
  });
}

/** Answer `offer` on `pc` and wait (3 s at most) for ICE gathering, so the answer has every candidate. */
export async function answerOffer(pc: RTCPeerConnection, offer: string): Promise<string> {
  await pc.setRemoteDescription({ type: 'offer', sdp: offer });
  await pc.setLocalDescription(await pc.createAnswer());
  if (pc.iceGatheringState !== 'complete') {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 3000);
      pc.iceGatheringStateChange.subscribe((state) => {
        if (state === 'complete') {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  }
  const sdp = pc.localDescription?.sdp;
  if (!sdp) throw new Error('no local description after answering');
  return sdp;
}

/** The `a=candidate:` lines of a trickle-ICE SDP fragment (RFC 8840), without the `a=`. */
export function trickleCandidates(fragment: string): string[] {
  return fragment
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.startsWith('a=candidate:'))
    .map((line) => line.slice(2));
}
