// Loads ../shared/nomad-api/openapi.yaml at test time and compiles its component schemas
// with Ajv. The spec (generated from Go structs) marks nothing nullable, yet Go encodes nil
// pointers, slices and maps and zero times as null — the docs' own samples carry such nulls.
// So exactly those property kinds accept null: $ref (pointer to struct), array (slice), map
// object, date-time (time.Time), byte ([]byte), and the *bool fields named below (the docs'
// list sample shows `"Migrate": null`); plain strings, numbers and booleans do not.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';

export const NOMAD_API_DIR = fileURLToPath(new URL('../../../shared/nomad-api/', import.meta.url));

type Schema = Record<string, unknown>;

/** Go *bool fields, per struct, from Nomad's structs.go. */
const POINTER_SCALARS: Record<string, readonly string[]> = {
  DesiredTransition: ['Migrate', 'Reschedule', 'ForceReschedule', 'NoShutdownDelay', 'MigrateDisablePlacement'],
  AllocDeploymentStatus: ['Healthy'],
};

function allowGoNulls(node: unknown, structName = ''): unknown {
  if (Array.isArray(node)) return node.map((item) => allowGoNulls(item));
  if (!node || typeof node !== 'object') return node;
  const schema: Schema = {};
  for (const [key, value] of Object.entries(node)) schema[key] = allowGoNulls(value);
  const properties = schema.properties as Record<string, Schema> | undefined;
  if (properties) {
    for (const [propName, property] of Object.entries(properties)) {
      const nilable = '$ref' in property || property.type === 'array' || (property.type === 'object' && 'additionalProperties' in property) || property.format === 'date-time' || property.format === 'byte' || ('additionalProperties' in property && !property.type) || (POINTER_SCALARS[structName]?.includes(propName) ?? false);
      if (!nilable) continue;
      // A $ref cannot carry siblings in draft-07: wrap it so null is an alternative.
      properties[propName] = '$ref' in property ? { anyOf: [{ $ref: property.$ref }, { type: 'null' }] } : { ...property, nullable: true, ...(property.type ? {} : { type: 'object' }) };
    }
  }
  return schema;
}

let cached: Ajv | undefined;

function ajv(): Ajv {
  if (cached) return cached;
  const document = parse(readFileSync(`${NOMAD_API_DIR}openapi.yaml`, 'utf8')) as { components: { schemas: Schema } };
  const schemas: Schema = {};
  for (const [name, schema] of Object.entries(document.components.schemas)) schemas[name] = allowGoNulls(schema, name);
  cached = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  cached.addSchema({ $id: 'nomad', components: { schemas } });
  return cached;
}

export function validator(name: string): ValidateFunction {
  const compiled = ajv().getSchema(`nomad#/components/schemas/${name}`);
  if (!compiled) throw new Error(`no schema ${name} in openapi.yaml`);
  return compiled;
}

export function sample(file: string): unknown {
  return JSON.parse(readFileSync(`${NOMAD_API_DIR}${file}`, 'utf8'));
}
