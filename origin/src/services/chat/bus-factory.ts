import { type ChatBus, MemoryChatBus } from './bus.js';
import { RedisChatBus } from './redis-bus.js';

/** Redis Streams when the origins share a Redis, else the embedded mode's in-process fan-out. */
export function chatBus(
  settings: { redisUrl?: string | undefined } | undefined,
  onError?: (error: unknown) => void,
): ChatBus {
  if (!settings?.redisUrl) return new MemoryChatBus();
  return new RedisChatBus({ url: settings.redisUrl, ...(onError ? { onError } : {}) });
}
