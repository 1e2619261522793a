import { FilterClause, FilterOperator, FilterProperty } from './filter.types';

/** The SQL expression each property reads in one query (recipient view or sender view). */
export type FilterColumns = Record<FilterProperty, string>;

const SQL_OPERATORS: Record<FilterOperator, string> = { '=': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };
const SEVERITY_RANK = `CASE %s WHEN 'Info' THEN 1 WHEN 'Warning' THEN 2 WHEN 'Error' THEN 3 END`;
const SEVERITY_RANKS: Record<string, number> = { Info: 1, Warning: 2, Error: 3 };

/**
 * Turns parsed clauses into one SQL condition (AND of all), appending every value to `params`.
 * Only fixed fragments chosen by property and operator are written into the SQL text; values
 * always travel as parameters. Returns 'TRUE' for no clauses.
 */
export function compileFilter(clauses: FilterClause[], columns: FilterColumns, params: unknown[]): string {
  if (clauses.length === 0) return 'TRUE';
  return clauses.map((clause) => `(${compileClause(clause, columns[clause.property], params)})`).join(' AND ');
}

function compileClause(clause: FilterClause, column: string, params: unknown[]): string {
  const { operator, value } = clause;
  if (value === null) return operator === '=' ? `${column} IS NULL` : `${column} IS NOT NULL`;
  if (typeof value === 'boolean') return value === (operator === '=') ? column : `NOT ${column}`;
  const param = (v: unknown, cast = ''): string => {
    params.push(v);
    return `$${params.length}${cast}`;
  };
  // "!=" keeps rows whose value is missing: a message without correlation id is not equal to X.
  const compare = (left: string, right: string): string =>
    operator === '!=' ? `${left} IS DISTINCT FROM ${right}` : `${left} ${SQL_OPERATORS[operator]} ${right}`;
  // Text is ordered byte by byte, whatever the database's collation; equality is the same under any
  // (deterministic) collation, and left in the column's own so its indexes serve it (source: migration 1795366000000).
  const ordered = operator !== '=' && operator !== '!=';
  const collate = ordered ? ' COLLATE "C"' : '';
  switch (clause.type) {
    case 'uuid':
      return compare(column, param(value, '::uuid'));
    case 'timestamp':
      return compare(column, param(value, '::timestamptz'));
    case 'email':
      return compare(`lower(${column})${collate}`, `lower(${param(value, '::text')})`);
    case 'severity':
      if (!ordered) return compare(column, param(value, '::text'));
      return compare(SEVERITY_RANK.replace('%s', column), param(SEVERITY_RANKS[value as string], '::int'));
    default:
      return compare(`${column}${collate}`, param(value, '::text'));
  }
}
