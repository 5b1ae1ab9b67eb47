export { CurrentPrincipal } from './decorators/current-principal.decorator.js';
export { Public } from './decorators/public.decorator.js';
export { RequirePermissions } from './decorators/require-permissions.decorator.js';
export { GatehouseResourceModule } from './gatehouse-resource.module.js';
export { type DecisionMode, GatehouseResourceHealth, type GatehouseResourceStatus } from './health/gatehouse-resource.health.js';
export type { GatehouseEventsOptions, GatehouseResourceOptions, OutagePolicy } from './options.js';
export { type GatehousePrincipal, principalOf } from './principal.js';
