/** An OpenAPI document as `getOpenAPIDocument` returns it, loosely typed: we only filter it. */
interface OpenApiDocument {
  paths?: Record<string, unknown>;
  components?: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
}

/**
 * Paths that are not for public clients: the edge's internal API, and the transcoding runner
 * protocol (runners are the operator's own machines, registered with a shared secret).
 */
export function isPrivatePath(path: string): boolean {
  return path.startsWith('/internal/') || path.startsWith('/api/v1/runners/') || path === '/api/v1/runners';
}

function refsIn(value: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const item of value) refsIn(item, into);
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string') into.add(child.replace('#/components/schemas/', ''));
      else refsIn(child, into);
    }
  }
  return into;
}

/**
 * The public document: the full one minus private paths, their security schemes, and the schemas
 * only they used, so it names nothing a client cannot call. Pure.
 */
export function publicDocument<T extends OpenApiDocument>(full: T): T {
  const paths = Object.fromEntries(Object.entries(full.paths ?? {}).filter(([path]) => !isPrivatePath(path)));
  const allSchemas = full.components?.schemas ?? {};
  const used = refsIn(paths, new Set());
  // Schemas refer to schemas: follow references until nothing new turns up.
  for (let size = -1; size !== used.size; ) {
    size = used.size;
    for (const name of [...used]) refsIn(allSchemas[name], used);
  }
  const schemas = Object.fromEntries(Object.entries(allSchemas).filter(([name]) => used.has(name)));
  const {
    internalAuth: _internal,
    runnerAuth: _runner,
    ...securitySchemes
  } = full.components?.securitySchemes ?? {};
  return { ...full, paths, components: { ...full.components, schemas, securitySchemes } };
}
