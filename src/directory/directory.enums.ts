export enum AccountType {
  Partner = 'partner',
  Provider = 'provider',
}

export enum UserRole {
  User = 'user',
  Service = 'service',
}
