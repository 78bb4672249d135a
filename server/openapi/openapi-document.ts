import { z } from 'zod';
import { apiErrorSchema } from '../../shared/api-response-schemas.ts';
import { recordFields, type FieldRule, type RecordField } from '../../shared/record-fields.ts';
import { activeStatuses } from '../../shared/record-status.ts';
import { signatureHeaders } from '../../shared/sheet-signature.ts';
import { apiOperations, type ApiOperation } from './api-operations.ts';

type JsonSchema = Record<string, unknown>;

/**
 * The record's fields are validated by preprocess functions built from one rule table
 * (shared/record-field-schemas.ts), which zod cannot describe; the same table describes them here.
 */
function recordFieldJsonSchema(field: RecordField): JsonSchema {
  const rule: FieldRule = recordFields[field];
  switch (rule.kind) {
    case 'text':
      return { type: 'string', minLength: rule.min, maxLength: rule.max };
    case 'url':
      return { type: 'string', format: 'uri', maxLength: rule.max, description: 'http(s) URL' };
    case 'integer':
      return { type: 'integer', minimum: rule.min, maximum: rule.max };
    case 'money':
      return { type: 'number', minimum: rule.min, maximum: rule.max };
    case 'year':
      return { type: 'integer', minimum: rule.min, description: 'Up to next year' };
    case 'status':
      return { type: 'string', enum: [...activeStatuses], default: rule.default };
  }
}

/** Fills record fields that came out as `{}` (unrepresentable) from the rule table, recursively. */
function describeRecordFields(schema: unknown): void {
  if (!schema || typeof schema !== 'object') return;
  const node = schema as JsonSchema;
  const properties = node.properties as Record<string, JsonSchema> | undefined;
  if (properties) {
    for (const [name, property] of Object.entries(properties)) {
      if (name in recordFields && Object.keys(property).length === 0) properties[name] = recordFieldJsonSchema(name as RecordField);
    }
  }
  for (const value of Object.values(node)) describeRecordFields(value);
}

/** zod → JSON Schema 2020-12 (OpenAPI 3.1's dialect); named schemas go to components. */
function createConverter() {
  const components: Record<string, JsonSchema> = {};
  const convert = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
    const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
    delete json.$schema;
    describeRecordFields(json);
    const rewritten = JSON.parse(JSON.stringify(json).replaceAll('"#/$defs/', '"#/components/schemas/')) as JsonSchema;
    const defs = (rewritten.$defs ?? {}) as Record<string, JsonSchema>;
    delete rewritten.$defs;
    Object.assign(components, defs);
    // A named top-level schema is a component too, referenced by name.
    const id = typeof rewritten.id === 'string' ? rewritten.id : null;
    if (id) {
      delete rewritten.id;
      components[id] = rewritten;
      return { $ref: `#/components/schemas/${id}` };
    }
    return rewritten;
  };
  return { convert, components };
}

const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z_]\w*)/g, '{$1}');

const security: Record<ApiOperation['auth'], Array<Record<string, string[]>> | undefined> = {
  public: undefined,
  admin: [{ adminToken: [] }],
  sheet: [{ sheetSignature: [] }],
  metrics: [{}, { metricsToken: [] }],
  telegram: [{ telegramSecret: [] }],
};

function parametersOf(json: JsonSchema, where: 'path' | 'query') {
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, schema]) => {
    const { description, ...rest } = schema;
    return { name, in: where, required: where === 'path' || required.has(name), ...(description ? { description } : {}), schema: rest };
  });
}

function errorResponses(op: ApiOperation) {
  const error = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } } });
  const errors: Record<string, unknown> = {};
  if (op.params || op.query || op.body) errors['400'] = error('Bad input: details name each field and the reason');
  if (op.auth === 'admin') {
    errors['401'] = error('Missing or wrong admin token');
    errors['503'] = error('The admin API is off (ADMIN_API_TOKEN unset)');
  }
  if (op.auth === 'sheet') {
    errors['401'] = error('Not signed by the sheet, too old, or a replay');
    errors['503'] = error('Sheet sync is off (SHEET_SECRET unset)');
  }
  if (op.auth === 'metrics') errors['401'] = error('METRICS_TOKEN is set and the bearer token is missing or wrong');
  if (op.body) errors['413'] = error('Body larger than 20 MB');
  if (op.rateLimited) errors['429'] = error('Too many requests from this address; try again in a minute');
  errors['500'] = error('Internal error (details are in the server log)');
  return errors;
}

export interface OpenApiOptions {
  version: string;
  /** The Telegram webhook route, when the bot runs in webhook mode. */
  telegramWebhookPath?: string | null;
}

/** The OpenAPI 3.1 document of every endpoint (api-operations.ts). */
export function buildOpenApiDocument(options: OpenApiOptions) {
  const { convert, components } = createConverter();
  convert(apiErrorSchema, 'output');
  const operations: ApiOperation[] = [...apiOperations];
  if (options.telegramWebhookPath) {
    operations.push({
      method: 'post',
      path: options.telegramWebhookPath,
      tag: 'telegram',
      summary: 'Telegram webhook: updates for the bot (X-Telegram-Bot-Api-Secret-Token required)',
      auth: 'telegram',
      responses: { 200: { description: 'Update handled', mediaType: 'application/json' } },
    });
  }
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const parameters = [
      ...(op.params ? parametersOf(convert(op.params, 'input'), 'path') : []),
      ...(op.query ? parametersOf(convert(op.query, 'input'), 'query') : []),
    ];
    const responses: Record<string, unknown> = { ...errorResponses(op) };
    for (const [status, response] of Object.entries(op.responses)) {
      const mediaType = response.mediaType ?? 'application/json';
      responses[status] = {
        description: response.description,
        ...(mediaType === 'none' ? {} : { content: { [mediaType]: response.schema ? { schema: convert(response.schema, 'output') } : {} } }),
      };
    }
    (paths[toOpenApiPath(op.path)] ??= {})[op.method] = {
      operationId: `${op.method}${op.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
      tags: [op.tag],
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      ...(security[op.auth] ? { security: security[op.auth] } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: convert(op.body, 'input') } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Vinyl store API',
      version: options.version,
      description:
        'The catalog for the website, customers’ search requests and pre-order offers, the admin API, the AI musicologist and the Google Sheet add-on’s sync. Errors are `{error, details:[{field, message}]}`.',
    },
    tags: [
      { name: 'catalog', description: 'Public catalog (cached)' },
      { name: 'demand', description: 'Customers’ search requests' },
      { name: 'offers', description: 'Pre-order offers' },
      { name: 'admin', description: 'Admin API (bearer ADMIN_API_TOKEN)' },
      { name: 'ai', description: 'AI musicologist' },
      { name: 'sheet', description: 'The Google Sheet add-on (HMAC-signed, docs/sheet-sync.md)' },
      { name: 'operations', description: 'Health, metrics, this document' },
    ],
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        adminToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_API_TOKEN' },
        metricsToken: { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN (only when set)' },
        sheetSignature: {
          type: 'apiKey',
          in: 'header',
          name: signatureHeaders.signature,
          description: `Hex HMAC-SHA256 with SHEET_SECRET over "<timestamp>.<nonce>.<body>", with ${signatureHeaders.timestamp} (unix ms, within 5 minutes) and ${signatureHeaders.nonce} (16-64 of A-Z a-z 0-9 _ -, used once)`,
        },
        telegramSecret: { type: 'apiKey', in: 'header', name: 'X-Telegram-Bot-Api-Secret-Token', description: 'TELEGRAM_WEBHOOK_SECRET' },
      },
    },
  };
}
export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
