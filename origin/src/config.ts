import { randomBytes } from 'node:crypto';
import type { AppOptions } from './app.js';
import { LOGIN_THROTTLE, VIDEO_PASSWORD_THROTTLE } from './auth/throttle-policies.js';
import type { OriginEnv } from './env.js';
import { srtSecretFromInternalToken } from './services/live/srt-passphrase.js';

/** Seals federation keys when nothing else is configured: fine for a laptop, never for production. */
const DEV_FEDERATION_KEY_SECRET = 'vidra-development-federation-key';

/** The media proxy's signing secret when the proxy is on; on without a secret is a startup error. */
function mediaProxySecret(env: OriginEnv): string | undefined {
  if (env.FEDERATION_MEDIA_PROXY === 'off') return undefined;
  if (!env.FEDERATION_MEDIA_PROXY_SECRET) {
    throw new Error('FEDERATION_MEDIA_PROXY=on needs FEDERATION_MEDIA_PROXY_SECRET (the edge has the same)');
  }
  return env.FEDERATION_MEDIA_PROXY_SECRET;
}

/** Map the parsed environment onto the app's settings. Throttle policies are fixed on purpose. */
export function configFromEnv(env: OriginEnv): AppOptions['config'] {
  // Without a configured token, only an edge started alongside (npm start) that was handed this one gets in.
  const internalApiToken = env.INTERNAL_API_TOKEN ?? randomBytes(24).toString('base64url');
  return {
    trustedProxyAddresses: env.TRUSTED_PROXY_ADDRESSES,
    internalAddresses: env.INTERNAL_ADDRESSES,
    internalApiToken,
    publicUrl: env.PUBLIC_URL,
    federation: {
      publicUrl: env.PUBLIC_URL,
      keySecret: env.FEDERATION_KEY_SECRET ?? env.INTERNAL_API_TOKEN ?? DEV_FEDERATION_KEY_SECRET,
      allowPrivateAddress: env.FEDERATION_ALLOW_PRIVATE_ADDRESSES,
      signatureWindowSeconds: env.FEDERATION_SIGNATURE_WINDOW_SECONDS,
      queueWorkers: env.FEDERATION_QUEUE_WORKERS,
      mediaProxySecret: mediaProxySecret(env),
    },
    accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: env.REFRESH_TOKEN_TTL_SECONDS,
    signingKeyRotationSeconds: env.SIGNING_KEY_ROTATION_SECONDS,
    scrypt: { N: 2 ** env.SCRYPT_LOG2_N, r: 8, p: 1 },
    loginThrottle: LOGIN_THROTTLE,
    videoPasswordThrottle: VIDEO_PASSWORD_THROTTLE,
    jobs: {
      leaseSeconds: {
        transcode: env.JOB_LEASE_SECONDS,
        live: env.JOB_LEASE_SECONDS_LIVE,
        recording: env.JOB_LEASE_SECONDS_RECORDING ?? env.JOB_LEASE_SECONDS,
        cleanup: env.JOB_LEASE_SECONDS_CLEANUP ?? env.JOB_LEASE_SECONDS,
        deliver: env.JOB_LEASE_SECONDS_DELIVER ?? env.JOB_LEASE_SECONDS,
      },
      retryBaseSeconds: env.JOB_RETRY_BASE_SECONDS,
      maxAttempts: env.JOB_MAX_ATTEMPTS,
    },
    events: { idleSeconds: env.SSE_IDLE_SECONDS },
    live: {
      rtmpUrl: env.LIVE_RTMP_URL.replace(/\/+$/, ''),
      srtHost: env.LIVE_SRT_HOST,
      ...(env.LIVE_WHIP_URL ? { whipUrl: env.LIVE_WHIP_URL } : {}),
      srtPorts: env.LIVE_SRT_PORTS,
      srtSecret: env.LIVE_SRT_SECRET ?? srtSecretFromInternalToken(internalApiToken),
      reconnectSeconds: env.LIVE_RECONNECT_SECONDS,
    },
    uploads: {
      maxBytes: env.UPLOAD_MAX_BYTES,
      defaultQuotaBytes: env.UPLOAD_QUOTA_BYTES,
      expirySeconds: env.UPLOAD_EXPIRY_SECONDS,
    },
    views: {
      windowSeconds: env.VIEW_WINDOW_SECONDS,
      flushSeconds: env.VIEW_FLUSH_SECONDS,
      redisUrl: env.REDIS_URL,
    },
    chat: { redisUrl: env.REDIS_URL },
    // Without a configured token, only in-process runners (npm start) that were handed this one can register.
    runnerRegistrationToken: env.RUNNER_REGISTRATION_TOKEN ?? randomBytes(24).toString('base64url'),
  };
}
