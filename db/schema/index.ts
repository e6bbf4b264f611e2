export * from './accounts.js';
export * from './channels.js';
export * from './pipeline.js';
export * from './videos.js';
