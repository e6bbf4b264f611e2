import type { Context } from 'hono';
import type { EdgeEnv } from '../context.js';
import { type LayoutProps, MessagePage, sendPage } from './layout.js';

/**
 * The page an admin page shows when the API refused it: 403 for anyone but an admin, 502 when the
 * origin could not answer. `what` names what the page lists ("reports").
 */
export function adminApiRefusal(
  c: Context<EdgeEnv>,
  status: number,
  props: { viewer: LayoutProps['viewer']; path: string; what: string; audience: string },
) {
  const forbidden = status === 403;
  const page = (
    <MessagePage
      title={forbidden ? 'Admins only' : 'Something went wrong'}
      viewer={props.viewer}
      path={props.path}
      heading={
        forbidden ? `Only admins can see ${props.what}` : `The ${props.what} cannot be shown right now`
      }
      message={forbidden ? `This page is for the instance ${props.audience}.` : 'Try again in a moment.'}
    />
  );
  return sendPage(c, page, forbidden ? 403 : 502);
}
