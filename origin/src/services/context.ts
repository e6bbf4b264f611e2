import type { Database } from '../../../db/client.js';
import type { AccessTokenVerifier } from '../auth/access-tokens.js';
import type { ScryptParams } from '../auth/passwords.js';
import type { KeyRing } from '../auth/signing-keys.js';
import type { Throttle, ThrottlePolicy } from '../auth/throttle.js';

/** Settings the services need, already parsed from the environment (see `env.ts`). */
export interface ServiceConfig {
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  signingKeyRotationSeconds: number;
  scrypt: ScryptParams;
  loginThrottle: ThrottlePolicy;
  videoPasswordThrottle: ThrottlePolicy;
}

/** Everything a service may touch. Built once per app by `createServiceContext`. */
export interface ServiceContext {
  db: Database;
  config: ServiceConfig;
  keys: KeyRing;
  accessTokens: AccessTokenVerifier;
  loginThrottle: Throttle;
  videoPasswordThrottle: Throttle;
}
