import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from '@cdktf/hcl2json';

/** The arguments a resource (or nested block) accepts, from `terraform providers schema -json`. */
export interface BlockSchema {
  /** name -> 'required' | 'optional' | 'computed' (read-only: setting it is an error). */
  attributes: Record<string, 'required' | 'optional' | 'computed'>;
  blocks: Record<string, BlockSchema>;
}

export interface SchemaExtract {
  provider: string;
  resources: Record<string, BlockSchema>;
  dataSources: Record<string, BlockSchema>;
}

// Meta-arguments every resource takes, whatever its provider schema says.
const META = new Set([
  'count',
  'for_each',
  'depends_on',
  'provider',
  'lifecycle',
  'provisioner',
  'connection',
  'dynamic',
]);

// biome-ignore lint/suspicious/noExplicitAny: terraform's JSON schema is walked loosely
function compact(block: any): BlockSchema {
  const attributes: BlockSchema['attributes'] = {};
  for (const [name, a] of Object.entries<{ required?: boolean; optional?: boolean }>(block.attributes ?? {}))
    attributes[name] = a.required ? 'required' : a.optional ? 'optional' : 'computed';
  const blocks: BlockSchema['blocks'] = {};
  for (const [name, b] of Object.entries<{ block: unknown }>(block.block_types ?? {}))
    blocks[name] = compact(b.block);
  return { attributes, blocks };
}

/** Shrink `terraform providers schema -json` to the resource and data source types `used`. */
export function extractSchema(
  // biome-ignore lint/suspicious/noExplicitAny: terraform's JSON schema is walked loosely
  full: any,
  used: { resources: string[]; dataSources: string[] },
): SchemaExtract {
  type ProviderSchema = Record<
    'resource_schemas' | 'data_source_schemas',
    Record<string, { block: unknown }>
  >;
  const [provider, schemas] = Object.entries<ProviderSchema>(full.provider_schemas)[0] as [
    string,
    ProviderSchema,
  ];
  const pick = (all: Record<string, { block: unknown }>, names: string[]) =>
    Object.fromEntries(names.sort().map((n) => [n, compact(all[n]?.block ?? {})]));
  return {
    provider,
    resources: pick(schemas.resource_schemas, used.resources),
    dataSources: pick(schemas.data_source_schemas, used.dataSources),
  };
}

// biome-ignore lint/suspicious/noExplicitAny: hcl2json output is walked loosely
export type Hcl = Record<string, any>;

/** Every .tf file of a folder, parsed to JSON by @cdktf/hcl2json (no terraform needed). */
export async function parseModule(
  files: Array<{ name: string; text: string }>,
): Promise<Array<{ name: string; hcl: Hcl }>> {
  return Promise.all(files.map(async (f) => ({ name: f.name, hcl: (await parse(f.name, f.text)) as Hcl })));
}

/** The resource and data source types a parsed module uses. */
export function typesUsed(module: Array<{ hcl: Hcl }>) {
  const resources = new Set<string>();
  const dataSources = new Set<string>();
  for (const { hcl } of module) {
    for (const type of Object.keys(hcl.resource ?? {})) resources.add(type);
    for (const type of Object.keys(hcl.data ?? {})) dataSources.add(type);
  }
  return { resources: [...resources], dataSources: [...dataSources] };
}

function blockProblems(where: string, body: Hcl, schema: BlockSchema, top: boolean): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (top && META.has(key)) continue;
    const attribute = schema.attributes[key];
    if (attribute === 'computed') problems.push(`${where}: '${key}' is read-only (computed by the provider)`);
    else if (attribute) continue;
    else if (schema.blocks[key]) {
      const items = Array.isArray(value) ? value : [value];
      for (const item of items)
        problems.push(...blockProblems(`${where}.${key}`, item as Hcl, schema.blocks[key], false));
    } else problems.push(`${where}: an argument named '${key}' is not expected here`);
  }
  for (const [key, kind] of Object.entries(schema.attributes))
    if (kind === 'required' && !(key in body)) problems.push(`${where}: the argument '${key}' is required`);
  return problems;
}

/** Check every resource's and data source's arguments against the committed schema extract. */
export function moduleProblems(module: Array<{ name: string; hcl: Hcl }>, schema: SchemaExtract): string[] {
  const problems: string[] = [];
  for (const { name, hcl } of module) {
    for (const [section, schemas] of [
      ['resource', schema.resources],
      ['data', schema.dataSources],
    ] as const) {
      for (const [type, instances] of Object.entries<Hcl>(hcl[section] ?? {})) {
        const typeSchema = schemas[type];
        for (const [label, bodies] of Object.entries<Hcl[]>(instances)) {
          const where = `${name}: ${section === 'data' ? 'data.' : ''}${type}.${label}`;
          if (!typeSchema) {
            problems.push(
              `${where}: type ${type} is not in the schema extract (regenerate it with terraform)`,
            );
            continue;
          }
          for (const body of bodies) problems.push(...blockProblems(where, body, typeSchema, true));
        }
      }
    }
  }
  return problems;
}

/** Write the extract (run by `validate-deploy --extract-terraform-schema` where terraform works). */
export function writeExtract(file: string, extract: SchemaExtract): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(extract, null, 1)}\n`);
}
