export const ROLES_KEY = 'auth:roles';
export const QUERY_TOKEN_KEY = 'auth:query-token';
