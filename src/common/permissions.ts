/**
 * The permission catalogue: the one place permissions are declared. Scopes are
 * these same strings, so a token's scope and a user's permissions intersect
 * without translation. Adding a guarded module starts with a line here.
 */
export const PERMISSIONS = {
  'notes:read': 'Read your own notes',
  'notes:write': 'Create and delete your own notes',
  'reports:read': 'Read the usage summary',
  'inventory:read': 'Read the inventory (machine to machine)',
  'clients:register': 'Register third-party client applications',
  'clients:review': 'Approve, reject, suspend and reinstate client applications',
  'users:manage': 'Create and change users and roles',
  'audit:read': 'Read the audit trail',
  'keys:manage': 'Rotate the token signing keys',
  introspect: 'Call the token introspection endpoint (for clients)',
  'events:subscribe': 'Subscribe to the access-change events (for resource servers in other processes)',
} as const;

export type Permission = keyof typeof PERMISSIONS;

export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(PERMISSIONS, value);
}

export const SEEDED_ROLES: Record<string, readonly Permission[]> = {
  admin: ALL_PERMISSIONS,
  user: ['notes:read', 'notes:write', 'clients:register'],
};
