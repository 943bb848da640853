import { ArgumentMetadata, BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

function flatten(errors: ValidationError[], prefix = ''): { field: string; errors: string[] }[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, errors: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const BROKEN_TEXT = 'must be text without broken characters (it holds half of a UTF-16 surrogate pair)';

/**
 * The path of the first string in a JSON value that is not well-formed Unicode (a lone UTF-16
 * surrogate, which JSON's `\ud800` escapes can carry), or null. Such text cannot be e-mailed,
 * stored in jsonb or checked by the validators (validator's isEmail throws on it), so it is
 * refused up front with the field's name. Walks plain objects and arrays only, 32 levels deep.
 */
export function brokenTextPath(value: unknown, path = '', depth = 0): string | null {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? path || 'value' : null;
  if (depth > 32 || value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = brokenTextPath(value[i], path ? `${path}.${i}` : String(i), depth + 1);
      if (bad) return bad;
    }
    return null;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return null;
  for (const [k, v] of Object.entries(value)) {
    const name = path ? `${path}.${k}` : k;
    if (LONE_SURROGATE.test(k)) return name;
    const bad = brokenTextPath(v, name, depth + 1);
    if (bad) return bad;
  }
  return null;
}

/** The house pipe: text must be well-formed before the DTO's validators read it. */
class HouseValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // 'custom': values the server made (the signed-in user), not the client's text.
    if (metadata.type === 'custom') return super.transform(value, metadata);
    const bad = brokenTextPath(value, metadata.type === 'body' || metadata.type === 'query' ? '' : (metadata.data ?? ''));
    if (bad) {
      throw new BadRequestException({
        message: `Invalid fields: ${bad} (${BROKEN_TEXT})`,
        fields: [{ field: bad, errors: [BROKEN_TEXT] }],
      });
    }
    return super.transform(value, metadata);
  }
}

/** Validation errors name the offending fields: message lists them, `fields` details each. */
export function buildValidationPipe(): ValidationPipe {
  return new HouseValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      return new BadRequestException({
        message: `Invalid fields: ${fields.map((f) => `${f.field} (${f.errors.join('; ')})`).join(', ')}`,
        fields,
      });
    },
  });
}
