import { Global, Module } from '@nestjs/common';
import { InvalidationBus } from './invalidation.bus.js';

@Global()
@Module({ providers: [InvalidationBus], exports: [InvalidationBus] })
export class InvalidationModule {}
