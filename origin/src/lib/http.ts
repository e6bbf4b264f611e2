import { OpenAPIHono, type z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { ERROR_CODES, type ErrorBody, ErrorBodySchema, type ErrorCode } from '../../../protocol/errors.js';
import type { Viewer } from '../auth/access-tokens.js';
import type { ServiceContext } from '../services/context.js';
import { fieldErrorsFromIssues, type ServiceError } from './errors.js';
import type { Logger } from './logger.js';

/** Hono environment shared by every origin route. */
export interface AppEnv {
  Variables: {
    requestId: string;
    services: ServiceContext;
    logger: Logger;
    /** Set by `authenticate` when a valid bearer token came with the request. */
    viewer: Viewer | undefined;
    /** The client address, from the socket or a trusted proxy header. */
    clientIp: string;
    /** Set on runner routes once the runner token checked out. */
    runnerId: string;
  };
}

export function errorBody(
  c: Context<AppEnv>,
  code: ErrorCode,
  message: string,
  extra: Pick<ErrorBody['error'], 'fields'> = {},
): ErrorBody {
  return { error: { code, message, requestId: c.get('requestId') ?? 'unknown', ...extra } };
}

/** Render a ServiceError as the one JSON error shape. */
export function serviceErrorResponse(c: Context<AppEnv>, error: ServiceError): Response {
  if (error.extra.retryAfterSeconds !== undefined)
    c.header('Retry-After', String(error.extra.retryAfterSeconds));
  const body = errorBody(
    c,
    error.code,
    error.message,
    error.extra.fields ? { fields: error.extra.fields } : {},
  );
  return c.json(body, ERROR_CODES[error.code]);
}

/**
 * An OpenAPIHono router whose request validation failures answer 400 with a message per field,
 * in the same shape as every other error.
 */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        return c.json(
          errorBody(c as Context<AppEnv>, 'validation_failed', 'The request is not valid', {
            fields: fieldErrorsFromIssues(result.error.issues),
          }),
          400,
        );
      }
    },
  });
}

const ERROR_DESCRIPTIONS: Partial<Record<number, string>> = {
  400: 'The request is not valid',
  401: 'Missing or invalid credentials',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflicts with existing data',
  413: 'Too large',
  429: 'Too many attempts; see Retry-After',
  503: 'Unavailable; try again',
};

/** OpenAPI `responses` entries for the given error statuses, all with the shared error schema. */
export function errorResponses(...statuses: Array<400 | 401 | 403 | 404 | 409 | 413 | 429 | 503>) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: ERROR_DESCRIPTIONS[status] ?? 'Error',
        content: { 'application/json': { schema: ErrorBodySchema } },
      },
    ]),
  );
}

export const bearerSecurity = [{ bearerAuth: [] }];

/** An OpenAPI request body of JSON matching `schema`. */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  content: { 'application/json': { schema } },
  required: true,
});

/** An OpenAPI response of JSON matching `schema`. */
export const jsonResponse = <T extends z.ZodType>(description: string, schema: T) => ({
  description,
  content: { 'application/json': { schema } },
});
