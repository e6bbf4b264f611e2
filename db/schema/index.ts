export * from './accounts.js';
export * from './channels.js';
export * from './live.js';
export * from './outbox.js';
export * from './pipeline.js';
export * from './revocations.js';
export * from './social.js';
export * from './videos.js';
