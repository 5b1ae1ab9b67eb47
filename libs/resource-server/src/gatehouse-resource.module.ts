import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { IssuerMetadata } from './discovery/issuer-metadata.js';
import { AccessEventStream } from './events/access-event-stream.js';
import { StreamCredentials } from './events/stream-credentials.js';
import { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN } from './gatehouse-resource.module-definition.js';
import { GatehouseAuthGuard } from './guard/gatehouse-auth.guard.js';
import { GatehouseResourceHealth } from './health/gatehouse-resource.health.js';
import { type GatehouseResourceOptions, RESOLVED_OPTIONS, resolveOptions } from './options.js';
import { AccessState } from './permissions/access-state.js';
import { IntrospectionClient } from './permissions/introspection.client.js';
import { PrincipalResolver } from './permissions/principal.resolver.js';
import { TokenVerifier } from './tokens/token-verifier.js';

/**
 * Import once, in the root module:
 *
 *   GatehouseResourceModule.forRoot({ issuer, clientId, clientSecret })
 *
 * Every route of the application is then guarded (deny by default), and `GatehouseResourceHealth`
 * can be injected anywhere.
 */
@Module({
  providers: [
    { provide: RESOLVED_OPTIONS, inject: [MODULE_OPTIONS_TOKEN], useFactory: (options: GatehouseResourceOptions) => resolveOptions(options) },
    IssuerMetadata,
    TokenVerifier,
    IntrospectionClient,
    AccessState,
    GatehouseResourceHealth,
    PrincipalResolver,
    StreamCredentials,
    AccessEventStream,
    { provide: APP_GUARD, useClass: GatehouseAuthGuard },
  ],
  exports: [GatehouseResourceHealth],
})
export class GatehouseResourceModule extends ConfigurableModuleClass {}
