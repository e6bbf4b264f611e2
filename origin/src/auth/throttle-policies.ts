import type { DelayPolicy, ThrottlePolicy } from './throttle.js';

const HOUR = 3600;
/** Keycloak's defaults for the step, the cap and the reset: 1 min, 15 min, 12 h. */
const keycloakDelay = (failureFactor: number): DelayPolicy => ({
  failureFactor,
  waitIncrementSeconds: 60,
  maxWaitSeconds: 15 * 60,
  failureResetSeconds: 12 * HOUR,
});

/**
 * Sign-in: 5 tries per (email, address) before the first minute's wait, 20 per address across
 * emails, 50 per email across unfamiliar addresses. Numbers and trade-offs: docs/adr/0008-brute-force.md.
 */
export const LOGIN_THROTTLE: ThrottlePolicy = {
  pair: keycloakDelay(5),
  address: keycloakDelay(20),
  subject: keycloakDelay(50),
  familiarSeconds: 30 * 24 * HOUR,
};

/** Video passwords are shared by many viewers and have no owner to protect, so the ceiling is lower. */
export const VIDEO_PASSWORD_THROTTLE: ThrottlePolicy = {
  pair: keycloakDelay(5),
  address: keycloakDelay(20),
  subject: keycloakDelay(20),
  familiarSeconds: 30 * 24 * HOUR,
};
