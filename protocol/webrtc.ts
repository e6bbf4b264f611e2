/**
 * Wire contracts of WebRTC (issue 12): WHIP ingest (RFC 9725) and WHEP playback, spelled once for
 * ingest, edge and tests. Runtime-neutral and free of zod values, so the edge may import it.
 *
 * - WHIP: an encoder `POST`s an SDP offer to `WHIP_PATH` with its stream key as a Bearer token and
 *   gets `201` + the SDP answer + `Location: <whipSessionPath(id)>`; `PATCH` there carries trickle
 *   ICE (`application/trickle-ice-sdpfrag`), `DELETE` stops. A wrong key is a 401 before any ICE.
 * - WHEP: a viewer `POST`s an offer to `<edge>/whep/<playback token>` (the `whep` URL of the
 *   playback answer). The edge checks the token (audience `hls`, revocation, address) and
 *   forwards the offer to the ingest node holding the stream, at `whepInternalPath(videoId)`
 *   with the internal token; the answer and `Location` come back through the edge.
 * Media never goes through the edge: ICE connects the client straight to the ingest node over UDP.
 */

/** Where WHIP offers are posted, on the ingest node and on the edge (which forwards them). */
export const WHIP_PATH = '/whip';
/** The edge's WHEP prefix: `POST /whep/<token>`. */
export const WHEP_PATH = '/whep';

export const SDP_CONTENT_TYPE = 'application/sdp';
export const TRICKLE_CONTENT_TYPE = 'application/trickle-ice-sdpfrag';

/** Largest SDP offer or trickle fragment accepted (a browser offer is ~5 KB). */
export const MAX_SDP_BYTES = 32 * 1024;

/** A WHIP or WHEP session id: 128 random bits, base64url. */
export const SESSION_ID = /^[A-Za-z0-9_-]{22}$/;

export function whipSessionPath(id: string): string {
  return `${WHIP_PATH}/sessions/${id}`;
}

export function whepSessionPath(id: string): string {
  return `${WHEP_PATH}/sessions/${id}`;
}

/** Ingest's internal WHEP entry, reached only by the edge (internal token). */
export function whepInternalPath(videoId: string): string {
  return `/internal/v1/whep/${videoId}`;
}

/** Whether a body is plausibly an SDP offer: starts with `v=0` and fits. */
export function looksLikeSdp(body: string): boolean {
  return body.length > 0 && body.length <= MAX_SDP_BYTES && /^v=0\r?\n/.test(body);
}

/** One ICE server as RTCPeerConnection takes it; `WEBRTC_ICE_SERVERS` holds a JSON array of these. */
export interface IceServer {
  urls: string;
  username?: string;
  credential?: string;
}

/**
 * Parse `WEBRTC_ICE_SERVERS` (JSON array of `{ urls, username?, credential? }`, `urls` one
 * `stun:`/`turn:`/`turns:` URL). Throws with a clear message on anything else.
 */
export function parseIceServers(raw: string | undefined): IceServer[] {
  if (!raw?.trim()) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error('WEBRTC_ICE_SERVERS must be a JSON array of { urls, username?, credential? }');
  }
  if (!Array.isArray(parsed)) throw new Error('WEBRTC_ICE_SERVERS must be a JSON array');
  return parsed.map((entry, i) => {
    const { urls, username, credential } = (entry ?? {}) as Record<string, unknown>;
    if (typeof urls !== 'string' || !/^(stun|turns?):[^\s]+$/.test(urls))
      throw new Error(`WEBRTC_ICE_SERVERS[${i}].urls must be one stun:, turn: or turns: URL`);
    if (
      (username !== undefined && typeof username !== 'string') ||
      (credential !== undefined && typeof credential !== 'string')
    )
      throw new Error(`WEBRTC_ICE_SERVERS[${i}]: username and credential must be strings`);
    return {
      urls,
      ...(username !== undefined ? { username } : {}),
      ...(credential !== undefined ? { credential } : {}),
    };
  });
}

/** Payload types ingest uses on its loopback RTP legs to and from FFmpeg. */
export const RTP_PAYLOAD = { h264: 96, opus: 111 } as const;
