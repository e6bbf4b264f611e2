import type { Database } from '../../../db/client.js';
import type { ReadRouting } from '../../../db/replica.js';
import type { AccessTokenVerifier } from '../../../protocol/access-token-verifier.js';
import type { JobKind } from '../../../protocol/runner.js';
import type { ScryptParams } from '../auth/passwords.js';
import type { KeyRing } from '../auth/signing-keys.js';
import type { Throttle, ThrottlePolicy } from '../auth/throttle.js';
import type { Storage } from '../storage/types.js';
import type { ChatRooms } from './chat/types.js';
import type { FederationSettings, VidraFederation } from './federation/federation.js';
import type { JobSignals } from './jobs/signals.js';
import type { LiveHub } from './live/hub.js';
import type { PortRange } from './live/ports.js';
import type { ReconnectTimer } from './live/reconnect-timer.js';
import type { Mailer } from './mail/mailer.js';
import type { VideoChanges } from './videos/changes.js';
import type { ViewCounter, ViewSettings } from './views/counter.js';

/** Settings the services need, already parsed from the environment (see `env.ts`). */
export interface ServiceConfig {
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  signingKeyRotationSeconds: number;
  scrypt: ScryptParams;
  loginThrottle: ThrottlePolicy;
  videoPasswordThrottle: ThrottlePolicy;
  jobs: {
    /**
     * How long a runner holds a job of each kind without a heartbeat before it goes back on the
     * queue. Short for live packaging (a stalled live stream must move fast), longer for VOD.
     */
    leaseSeconds: Readonly<Record<JobKind, number>>;
    /** First retry delay; doubles on each further retry. */
    retryBaseSeconds: number;
    maxAttempts: number;
  };
  events: {
    /** A video event stream with no change for this long ends (a video that never gets a file). */
    idleSeconds: number;
  };
  live: {
    /** RTMP base URL shown to encoders, without a trailing slash. */
    rtmpUrl: string;
    srtHost: string;
    /** WHIP URL shown to encoders (the edge's `/whip`), when WebRTC ingest is on. */
    whipUrl?: string;
    /** Ports SRT listeners take, one per channel with a key. */
    srtPorts: PortRange;
    /** Key the SRT passphrases are derived from (see `srtPassphrase`). */
    srtSecret: string;
    /** How long a session waits for a dropped encoder before it ends. */
    reconnectSeconds: number;
  };
  uploads: {
    /** Largest single upload accepted, in bytes. */
    maxBytes: number;
    /** Bytes of sources a user may store in total, unless their account says otherwise. */
    defaultQuotaBytes: number;
    /** An unfinished upload is dropped this long after it was created. */
    expirySeconds: number;
  };
  /** Shared secret transcoders present once to register. */
  runnerRegistrationToken: string;
  /** Where people reach this instance (`PUBLIC_URL`): links in mail, the host `handle@host` names. */
  publicUrl?: string;
  /** ActivityPub; off (no federation routes) when absent, as in most tests. */
  federation?: FederationSettings;
  /** Live chat rooms: across origins through Redis, in-process without `redisUrl`. */
  chat?: { redisUrl?: string | undefined };
  /** View counting; `DEFAULT_VIEW_SETTINGS` (in-process, 1 h window) when absent. */
  views?: ViewSettings;
}

/** Everything a service may touch. Built once per app by `createServiceContext`. */
export interface ServiceContext {
  db: Database;
  /** Read-only queries that may lag go through this when a replica is configured (see `readDb`). */
  reads?: ReadRouting;
  config: ServiceConfig;
  keys: KeyRing;
  accessTokens: AccessTokenVerifier;
  loginThrottle: Throttle;
  videoPasswordThrottle: Throttle;
  storage: Storage;
  /** In-process news about the job queue: leases taken, jobs back on offer. */
  jobSignals: JobSignals;
  mailer: Mailer;
  /** Video change notifications of this origin, which event streams wait on. */
  videoChanges: VideoChanges;
  /** This origin's timer for the earliest live reconnect deadline (see `watchReconnects`). */
  liveReconnects: ReconnectTimer;
  /** Live streams pushed to this origin: parts, segments and playlist state (`LiveHub`). */
  liveHub: LiveHub;
  /** This origin's live chat rooms (issue 11). */
  chat: ChatRooms;
  /** Counts views and watch history out of band, flushed to PostgreSQL in batches. */
  views: ViewCounter;
  /** The fedify federation, when `config.federation` is set. */
  federation?: VidraFederation;
  /** Stops this origin's fedify queue workers (close, before the database goes). */
  stopFederationQueue?: () => void;
}
