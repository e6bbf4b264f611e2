import type { AppOptions } from './app.js';
import type { OriginEnv } from './env.js';

/** Map the parsed environment onto the app's settings. Throttle policies are fixed on purpose. */
export function configFromEnv(env: OriginEnv): AppOptions['config'] {
  return {
    trustProxy: env.TRUST_PROXY,
    accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: env.REFRESH_TOKEN_TTL_SECONDS,
    signingKeyRotationSeconds: env.SIGNING_KEY_ROTATION_SECONDS,
    scrypt: { N: 2 ** env.SCRYPT_LOG2_N, r: 8, p: 1 },
    loginThrottle: { maxFailures: 5, windowSeconds: 15 * 60, lockSeconds: 15 * 60 },
    videoPasswordThrottle: { maxFailures: 10, windowSeconds: 15 * 60, lockSeconds: 15 * 60 },
  };
}
