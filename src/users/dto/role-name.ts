/** Role names: lower-case, URL-safe (they appear in PATCH /admin/roles/:name). */
export const ROLE_NAME_PATTERN = /^[a-z][a-z0-9_-]{1,63}$/;
