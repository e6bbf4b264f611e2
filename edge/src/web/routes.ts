import { Hono } from 'hono';
import type { EdgeEnv } from '../context.js';
import { adminFederationPage } from './admin-federation-page.js';
import { adminReportSubmit, adminReportsPage } from './admin-reports-page.js';
import { authPage, authSubmit, logoutPage, logoutSubmit } from './auth-pages.js';
import { cookieAuthBridge } from './bridge.js';
import { channelPage, homePage } from './browse-pages.js';
import { newChannelPage, newChannelSubmit } from './channel-form.js';
import { commentSubmit } from './comments-actions.js';
import { historyClearSubmit, historyPage, historyPauseSubmit } from './history-page.js';
import { liveCreateSubmit, livePage, liveRotateSubmit, liveSettingsSubmit } from './live-page.js';
import { notificationSettingsSubmit } from './notification-settings.js';
import { notificationsPage, notificationsReadSubmit } from './notifications-page.js';
import {
  addToPlaylistSubmit,
  createPlaylistSubmit,
  movePlaylistElementSubmit,
  myPlaylistsPage,
  playlistPage,
  removeFromPlaylistSubmit,
} from './playlist-pages.js';
import { remoteFollowSubmit } from './remote-follow.js';
import { searchPage } from './search-page.js';
import { feedPage, rateSubmit, subscriptionSubmit } from './social-pages.js';
import { uploadPage } from './upload-page.js';
import { watchPage } from './watch-page.js';

/**
 * The viewer and creator web app, rendered at the edge with Hono JSX: lists and metadata work
 * without JavaScript; the player and the uploader are small scripts served as static assets
 * (`edge/public/static/`). Mounted on the edge app before its `/api/*` middleware, because the
 * cookie bridge must turn session cookies into a bearer token before the JWT check sees the request.
 */
export function webRoutes(): Hono<EdgeEnv> {
  const web = new Hono<EdgeEnv>();
  web.use('/api/*', cookieAuthBridge());
  web.get('/', homePage);
  web.get('/w/:id', watchPage);
  // PeerTube's embed URL (our JSON's `embedPath`; Grayjay takes it for a video URL): the watch page.
  web.get('/videos/embed/:id{[0-9a-f-]{36}}', (c) => c.redirect(`/w/${c.req.param('id')}`, 302));
  web.post('/w/:id/comments', commentSubmit('post'));
  web.post('/w/:id/report', commentSubmit('report-video'));
  web.post('/w/:id/comments/:commentId/:action', commentSubmit());
  web.get('/admin/reports', adminReportsPage);
  web.get('/admin/federation', adminFederationPage);
  web.post('/admin/reports/:id', adminReportSubmit);
  web.get('/c/:handle', channelPage);
  web.post('/w/:id/rate', rateSubmit);
  web.post('/c/:handle/subscription', subscriptionSubmit);
  web.get('/feed/subscriptions', feedPage);
  web.post('/feed/subscriptions/remote', remoteFollowSubmit);
  web.get('/notifications', notificationsPage);
  web.post('/notifications/read', notificationsReadSubmit);
  web.post('/notifications/settings', notificationSettingsSubmit);
  web.get('/login', authPage('login'));
  web.post('/login', authSubmit('login'));
  web.get('/register', authPage('register'));
  web.post('/register', authSubmit('register'));
  web.get('/logout', logoutPage);
  web.post('/logout', logoutSubmit);
  web.get('/upload', uploadPage);
  web.get('/channels/new', newChannelPage);
  web.post('/channels/new', newChannelSubmit);
  web.get('/channels/:handle/live', livePage);
  web.post('/channels/:handle/live', liveCreateSubmit);
  web.post('/channels/:handle/live/key', liveRotateSubmit);
  web.post('/channels/:handle/live/settings', liveSettingsSubmit);
  web.get('/search', searchPage);
  web.get('/playlists', myPlaylistsPage);
  web.post('/playlists', createPlaylistSubmit);
  web.get('/p/:id', playlistPage);
  web.post('/p/:id/videos', addToPlaylistSubmit);
  web.post('/p/:id/remove', removeFromPlaylistSubmit);
  web.post('/p/:id/move', movePlaylistElementSubmit);
  web.get('/history', historyPage);
  web.post('/history/pause', historyPauseSubmit);
  web.post('/history/clear', historyClearSubmit);
  return web;
}
