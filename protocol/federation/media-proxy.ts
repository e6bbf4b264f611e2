/**
 * The edge's proxy for remote media (thumbnails, HLS) of federated peers, so viewers never contact
 * third parties (opt-in: `FEDERATION_MEDIA_PROXY`). A proxied URL carries the remote URL and an
 * HMAC over it made with a secret the origin and the edge share: the origin signs URLs of peers it
 * knows, the edge signs the URLs inside a playlist it rewrites, and nobody else can make one, so
 * the proxy is never open. Runtime-neutral (WebCrypto): the origin and workerd both use it.
 */

/** Where the edge serves proxied media: `/federation/media/<signature>/<base64url(url)>`. */
export const MEDIA_PROXY_PATH = '/federation/media';

const encoder = new TextEncoder();

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

const keys = new Map<string, Promise<CryptoKey>>();
function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
      'verify',
    ]);
    keys.set(secret, key);
  }
  return key;
}

/** The proxy path (relative to the edge) for the remote `url`. */
export async function proxiedMediaPath(secret: string, url: string): Promise<string> {
  const signature = new Uint8Array(
    await crypto.subtle.sign('HMAC', await hmacKey(secret), encoder.encode(url)),
  );
  return `${MEDIA_PROXY_PATH}/${base64url(signature)}/${base64url(encoder.encode(url))}`;
}

/** The remote URL a proxy path's two parts stand for, or undefined unless its signature holds. */
export async function verifiedMediaUrl(
  secret: string,
  signature: string,
  encodedUrl: string,
): Promise<string | undefined> {
  const mac = fromBase64url(signature);
  const raw = fromBase64url(encodedUrl);
  if (!mac || !raw || mac.length !== 32) return undefined;
  // `verify` compares in constant time.
  const ok = await crypto.subtle.verify(
    'HMAC',
    await hmacKey(secret),
    mac as BufferSource,
    raw as BufferSource,
  );
  return ok ? new TextDecoder().decode(raw) : undefined;
}

const PRIVATE_V4: ReadonlyArray<[number, number]> = [
  [0x00000000, 8], // 0.0.0.0/8
  [0x0a000000, 8], // 10/8
  [0x64400000, 10], // 100.64/10 (carrier-grade NAT)
  [0x7f000000, 8], // loopback
  [0xa9fe0000, 16], // link-local (cloud metadata)
  [0xac100000, 12], // 172.16/12
  [0xc0a80000, 16], // 192.168/16
  [0xe0000000, 3], // multicast and reserved
];

function ipv4(host: string): number | undefined {
  const parts = host.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) < 256)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/**
 * Whether `hostname` (as `URL.hostname` gives it) names this machine, a private network or a
 * reserved range: loopback, RFC 1918, link-local, CGNAT, unique-local IPv6, `localhost` and
 * `.local`/`.internal` names. Names resolving to private addresses are the runtime's concern.
 */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost' || /\.(localhost|local|internal)$/.test(host)) return true;
  const v4 = ipv4(host);
  if (v4 !== undefined) {
    return PRIVATE_V4.some(([net, bits]) => v4 >>> (32 - bits) === net >>> (32 - bits));
  }
  if (!host.includes(':')) return false;
  if (host === '::' || host === '::1') return true;
  const mapped = /^::ffff:(.+)$/.exec(host)?.[1];
  if (mapped) {
    const inner = mapped.includes('.')
      ? mapped
      : (() => {
          const [hi = '0', lo = '0'] = mapped.split(':');
          const n = (Number.parseInt(hi, 16) << 16) | Number.parseInt(lo, 16);
          return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
        })();
    return isPrivateHost(inner);
  }
  return /^f[cd]/.test(host) || /^fe[89ab]/.test(host);
}
