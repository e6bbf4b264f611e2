import type { Context } from 'hono';
import type { Child, PropsWithChildren } from 'hono/jsx';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { EdgeEnv, EdgeViewer } from '../context.js';
import { NotificationBell, withUnreadCount } from './notification-bell.js';
import { DiscoverNav, SearchBox } from './search-box.js';

/**
 * What the pages allow the browser to load: only this origin's files. hls.js builds its transmuxer
 * worker and media source from `blob:` URLs; images may be `data:` (the favicon fallback).
 */
/**
 * The pages' policy. `remoteOrigins` are other instances a page's player streams from (a remote
 * video plays from its own instance's HLS): allowed to be fetched and shown, nothing more.
 */
export function contentSecurityPolicy(remoteOrigins: readonly string[] = []): string {
  const remote = remoteOrigins.map((o) => ` ${o}`).join('');
  return [
    "default-src 'self'",
    `img-src 'self' data: blob:${remote}`,
    `media-src 'self' blob:${remote}`,
    ...(remote ? [`connect-src 'self'${remote}`] : []),
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();

/** Props of `Layout`. `scripts` are static asset paths, loaded with `defer` in the given order. */
export interface LayoutProps {
  title: string;
  viewer: EdgeViewer | undefined;
  /** Path of the current page, so the sign-in link can bring the user back to it. */
  path?: string;
  scripts?: string[];
  /** What the header's search box shows (the search page passes its terms). */
  search?: string | undefined;
}

/** The page shell: language, landmarks, skip link, site navigation, one stylesheet. */
export function Layout(props: PropsWithChildren<LayoutProps>) {
  const next = props.path && !['/', '/login', '/register'].includes(props.path) ? props.path : undefined;
  const signIn = next ? `/login?next=${encodeURIComponent(next)}` : '/login';
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · Vidra`}</title>
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/static/vidra.css" />
        {(props.scripts ?? []).map((src) => (
          <script defer src={src} />
        ))}
      </head>
      <body>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <header class="site-header">
          <a class="brand" href="/">
            Vidra
          </a>
          <SearchBox value={props.search} />
          <nav aria-label="Main">
            <ul>
              <li>
                <a href="/">Home</a>
              </li>
              <li>
                <a href="/upload">Upload</a>
              </li>
              <DiscoverNav viewer={props.viewer} />
              {props.viewer ? (
                <>
                  <li>
                    <a href="/feed/subscriptions">Subscriptions</a>
                  </li>
                  <li>
                    <NotificationBell />
                  </li>
                  <li>
                    <a href="/channels/new">New channel</a>
                  </li>
                  {props.viewer.role === 'admin' ? (
                    <>
                      <li>
                        <a href="/admin/reports">Reports</a>
                      </li>
                      <li>
                        <a href="/admin/federation">Federation</a>
                      </li>
                    </>
                  ) : null}
                  <li>
                    <form method="post" action="/logout" class="inline-form">
                      <button type="submit" class="link-button">
                        Sign out <span class="username">@{props.viewer.username}</span>
                      </button>
                    </form>
                  </li>
                </>
              ) : (
                <>
                  <li>
                    <a href={signIn}>Sign in</a>
                  </li>
                  <li>
                    <a href="/register">Register</a>
                  </li>
                </>
              )}
            </ul>
          </nav>
        </header>
        <main id="main" tabindex={-1}>
          {props.children}
        </main>
        <footer class="site-footer">
          <p>Vidra: self-hosted video.</p>
        </footer>
      </body>
    </html>
  );
}

/** A page that only says something went wrong (or where); `message` is plain text. */
export function MessagePage(props: LayoutProps & { heading: string; message: Child; action?: Child }) {
  return (
    <Layout title={props.title} viewer={props.viewer} path={props.path}>
      <section class="message" aria-labelledby="message-heading">
        <h1 id="message-heading">{props.heading}</h1>
        <p>{props.message}</p>
        {props.action}
      </section>
    </Layout>
  );
}

/**
 * Send a rendered page. Pages depend on the viewer's cookies, so shared caches must not keep them;
 * the policy header keeps any injected markup from loading foreign scripts.
 */
export async function sendPage(
  c: Context<EdgeEnv>,
  page: HtmlEscapedString | Promise<HtmlEscapedString>,
  status: 200 | 400 | 401 | 403 | 404 | 429 | 502 = 200,
  remoteOrigins: readonly string[] = [],
) {
  c.header('cache-control', 'private, no-cache');
  c.header('content-security-policy', contentSecurityPolicy(remoteOrigins));
  c.header('x-content-type-options', 'nosniff');
  c.header('referrer-policy', 'same-origin');
  // Components here are synchronous, so the element renders to its HTML string right away.
  return c.html(`<!doctype html>${await withUnreadCount(c, await page)}`, status);
}
