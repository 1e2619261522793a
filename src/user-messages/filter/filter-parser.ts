import { parseTimestamp } from '../../common/iso-timestamp';
import { isUuid } from '../../common/uuid';
import { canonicalSeverity } from '../user-messages.enums';
import { FilterClause, FilterError, FilterOperator, FilterProperty, FilterValueType } from './filter.types';

export const MAX_FILTER_LENGTH = 4096;
export const MAX_FILTER_CLAUSES = 50;
const MAX_SHOWN_CLAUSE = 80;

interface PropertySpec {
  name: FilterProperty;
  type: FilterValueType;
  /** Whether the literal `null` means "missing". */
  nullable: boolean;
}

const PROPERTIES: PropertySpec[] = [
  { name: 'id', type: 'uuid', nullable: false },
  { name: 'sender.id', type: 'uuid', nullable: true },
  { name: 'sender.email', type: 'email', nullable: true },
  { name: 'receiver.id', type: 'uuid', nullable: false },
  { name: 'receiver.email', type: 'email', nullable: true },
  { name: 'source', type: 'string', nullable: false },
  { name: 'topic', type: 'string', nullable: false },
  { name: 'severity', type: 'severity', nullable: false },
  { name: 'returnCode', type: 'string', nullable: false },
  { name: 'timestamp', type: 'timestamp', nullable: false },
  { name: 'correlationId', type: 'uuid', nullable: true },
  { name: 'unreadEmail', type: 'boolean', nullable: false },
  { name: 'unreadBrowserNotification', type: 'boolean', nullable: false },
  { name: 'unread', type: 'boolean', nullable: false },
];
const BY_LOWER_NAME = new Map(PROPERTIES.map((p) => [p.name.toLowerCase(), p]));

// Longest first, so "<=" is never read as "<" followed by a value starting with "=".
const OPERATORS_LONGEST_FIRST: FilterOperator[] = ['!=', '<=', '>=', '=', '<', '>'];
const PROPERTY_PREFIX = /^[A-Za-z][A-Za-z0-9_.]*/;

/**
 * Parses `<property><operator><value>` clauses joined by `&` into typed clauses. Pure: no SQL
 * here; compileFilter turns the result into parameterised conditions. Empty clauses are skipped.
 */
export function parseFilter(filter: string): FilterClause[] {
  if (filter.length > MAX_FILTER_LENGTH) throw new FilterError(`filter must be at most ${MAX_FILTER_LENGTH} characters`);
  const texts = filter.split('&').filter((text) => text.length > 0);
  if (texts.length > MAX_FILTER_CLAUSES) throw new FilterError(`filter must have at most ${MAX_FILTER_CLAUSES} clauses`);
  return texts.map(parseClause);
}

function parseClause(text: string): FilterClause {
  const fail = (reason: string): never => {
    throw new FilterError(`Invalid filter clause "${shown(text)}": ${reason}`);
  };
  // PostgreSQL text cannot hold NUL; the global hook rejects it too, this keeps the parser safe on its own.
  if (text.includes('\u0000')) fail('NUL characters are not allowed');
  const name = PROPERTY_PREFIX.exec(text)?.[0];
  if (!name) fail('expected <property><operator><value>');
  const spec = BY_LOWER_NAME.get((name as string).toLowerCase()) ?? fail(`unknown property "${shown(name as string)}"`);
  const rest = text.slice((name as string).length);
  const operator = OPERATORS_LONGEST_FIRST.find((op) => rest.startsWith(op)) ?? fail(`expected an operator (=, !=, <, <=, >, >=) after "${spec.name}"`);
  const raw = rest.slice(operator.length);
  // `==`, `=<`, `=>`, `<>`: read as an operator and a value starting with one, they would filter on "=x".
  if (/^[=<>]/.test(raw)) fail(`"${shown(operator + raw[0])}" is not an operator (use one of =, !=, <, <=, >, >=)`);
  const value = parseValue(spec, operator, raw, fail);
  return { property: spec.name, operator, type: spec.type, value, text };
}

function parseValue(spec: PropertySpec, operator: FilterOperator, raw: string, fail: (reason: string) => never): string | boolean | null {
  const equality = operator === '=' || operator === '!=';
  if (spec.nullable && raw.toLowerCase() === 'null') {
    return equality ? null : fail(`only = and != can compare with null`);
  }
  switch (spec.type) {
    case 'boolean':
      if (!equality) fail(`only = and != apply to ${spec.name}`);
      return raw.toLowerCase() === 'true' ? true : raw.toLowerCase() === 'false' ? false : fail(`${spec.name} must be true or false`);
    case 'uuid':
      return isUuid(raw) ? raw.toLowerCase() : fail(`${spec.name} must be a GUID${spec.nullable ? ' or null' : ''}`);
    case 'severity':
      return canonicalSeverity(raw) ?? fail('severity must be one of [Info, Warning, Error]');
    case 'timestamp':
      return parseTimestamp(raw) ?? fail('timestamp must be an ISO 8601 date-time such as 2014-05-09T09:54:17.123Z');
    default:
      return raw;
  }
}

/**
 * Whether a query parameter's name is a filter property: what an `&` left unescaped inside `filter=`
 * produces (`filter=unread=true&source=x` reaches the server as two parameters).
 */
export function isFilterProperty(name: string): boolean {
  return BY_LOWER_NAME.has(name.toLowerCase());
}

function shown(text: string): string {
  return text.length > MAX_SHOWN_CLAUSE ? `${text.slice(0, MAX_SHOWN_CLAUSE)}…` : text;
}
