/** What the catalogue says about one permission. */
export interface PermissionInfo {
  /** Shown to people deciding whether to grant it (consent, the review queue, docs). */
  description: string;
  /**
   * Power over the server itself or over other principals' tokens, rather than over one's own
   * data. A reviewer sees these marked in the queue: granting one to a client is granting part of
   * the administration of Gatehouse.
   */
  administrative: boolean;
}

/**
 * The permission catalogue: the one place permissions are declared. Scopes are
 * these same strings, so a token's scope and a user's permissions intersect
 * without translation. Adding a guarded module starts with a line here.
 */
export const PERMISSIONS = {
  'notes:read': { description: 'Read your own notes', administrative: false },
  'notes:write': { description: 'Create and delete your own notes', administrative: false },
  'reports:read': { description: 'Read the usage summary', administrative: false },
  'inventory:read': { description: 'Read the inventory (machine to machine)', administrative: false },
  'clients:register': { description: 'Register third-party client applications', administrative: false },
  'clients:review': { description: 'Approve, reject, suspend and reinstate client applications', administrative: true },
  'users:manage': { description: 'Create and change users and roles', administrative: true },
  'audit:read': { description: 'Read the audit trail', administrative: true },
  'keys:manage': { description: 'Rotate the token signing keys', administrative: true },
  introspect: { description: 'Call the token introspection endpoint (for clients)', administrative: true },
  'events:subscribe': { description: "Follow the server's change events (for resource servers)", administrative: true },
} as const satisfies Record<string, PermissionInfo>;

export type Permission = keyof typeof PERMISSIONS;

export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(PERMISSIONS, value);
}

/** Whether the catalogue marks this scope administrative (unknown strings are not permissions, so not). */
export function isAdministrative(scope: string): boolean {
  return isPermission(scope) && PERMISSIONS[scope].administrative;
}

export const SEEDED_ROLES: Record<string, readonly Permission[]> = {
  admin: ALL_PERMISSIONS,
  user: ['notes:read', 'notes:write', 'clients:register'],
};
