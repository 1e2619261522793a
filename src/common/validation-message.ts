import { ValidationError } from 'class-validator';

/**
 * Formats the first class-validator error in the wording of the original API (Joi):
 * `child "guid" fails because ["guid" is required]`. Nested fields name their full path.
 */
export function formatValidationErrors(errors: ValidationError[], parentPath = ''): string {
  const first = errors[0];
  if (!first) return 'Invalid request';
  const path = parentPath ? `${parentPath}.${first.property}` : first.property;
  if (first.children && first.children.length > 0 && !first.constraints) {
    return formatValidationErrors(first.children, path);
  }
  const constraints = first.constraints ?? {};
  if (constraints.whitelistValidation) return `"${path}" is not allowed`;
  const reason = constraints.isDefined ?? Object.values(constraints)[0] ?? 'is invalid';
  return fieldFailure(path, stripProperty(reason, first.property));
}

/** One field's problem in the original API's wording: `child "guid" fails because ["guid" is required]`. */
export function fieldFailure(path: string, reason: string): string {
  return `child "${path}" fails because ["${path}" ${reason}]`;
}

/** class-validator messages start with the property name ("guid must be a UUID"); we quote it ourselves. */
function stripProperty(message: string, property: string): string {
  return message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
}
