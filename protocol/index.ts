export * from './api/accounts.js';
export * from './api/channels.js';
export * from './api/videos.js';
export * from './auth.js';
export * from './errors.js';
export * from './video.js';
