import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Secrets the embedded platform needs, generated once and kept under DATA_DIR so restarts keep sessions and links valid. */
export interface LocalSecrets {
  internalApiToken: string;
  runnerRegistrationToken: string;
  /** `kid:secret` for the edge's playback tokens. */
  playbackKeys: string;
}

export function loadOrCreateSecrets(dataDir: string): LocalSecrets {
  const file = path.join(dataDir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as LocalSecrets;
  const token = () => randomBytes(32).toString('base64url');
  const secrets: LocalSecrets = {
    internalApiToken: token(),
    runnerRegistrationToken: token(),
    playbackKeys: `k1:${token()}`,
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
