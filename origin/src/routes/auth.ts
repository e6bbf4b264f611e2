import { createRoute } from '@hono/zod-openapi';
import {
  LoginInputSchema,
  RefreshInputSchema,
  RegisterInputSchema,
  RegistrationAcceptedSchema,
  SessionSchema,
} from '../../../protocol/api/accounts.js';
import { createRouter, errorResponses } from '../lib/http.js';
import { login } from '../services/accounts/login.js';
import { logout, refreshSession } from '../services/accounts/refresh.js';
import { register } from '../services/accounts/register.js';

const json = <T>(schema: T) => ({ content: { 'application/json': { schema } }, required: true });
const session = (description: string) => ({
  description,
  content: { 'application/json': { schema: SessionSchema } },
});

const registerRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/register',
  tags: ['auth'],
  summary: 'Create an account, then sign in; the answer is the same whether or not the email is taken',
  request: { body: json(RegisterInputSchema) },
  responses: {
    202: {
      description: 'Accepted: a new account was created, or the existing account was sent a notice',
      content: { 'application/json': { schema: RegistrationAcceptedSchema } },
    },
    ...errorResponses(400, 409),
  },
});

const loginRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/login',
  tags: ['auth'],
  summary: 'Sign in with email and password (throttled)',
  request: { body: json(LoginInputSchema) },
  responses: { 200: session('Signed in'), ...errorResponses(400, 401, 403, 429) },
});

const refreshRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/refresh',
  tags: ['auth'],
  summary: 'Rotate a refresh token; reusing an old one ends the session',
  request: { body: json(RefreshInputSchema) },
  responses: { 200: session('New tokens'), ...errorResponses(400, 401, 403) },
});

const logoutRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/logout',
  tags: ['auth'],
  summary: 'End the session the refresh token belongs to',
  request: { body: json(RefreshInputSchema) },
  responses: { 204: { description: 'Signed out' }, ...errorResponses(400) },
});

/** Account sign-up, sign-in and token rotation. */
export function authRoutes() {
  return createRouter()
    .openapi(registerRoute, async (c) => c.json(await register(c.get('services'), c.req.valid('json')), 202))
    .openapi(loginRoute, async (c) =>
      c.json(await login(c.get('services'), c.req.valid('json'), { ip: c.get('clientIp') }), 200),
    )
    .openapi(refreshRoute, async (c) =>
      c.json(await refreshSession(c.get('services'), c.req.valid('json')), 200),
    )
    .openapi(logoutRoute, async (c) => {
      await logout(c.get('services'), c.req.valid('json'));
      return c.body(null, 204);
    });
}
