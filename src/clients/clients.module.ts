import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminClientsController } from './admin-clients.controller.js';
import { Client } from './client.entity.js';
import { ClientReviewService } from './client-review.service.js';
import { ClientsController } from './clients.controller.js';
import { ClientsService } from './clients.service.js';
import { ReviewQueueMetrics } from './review-queue.metrics.js';

@Module({
  imports: [TypeOrmModule.forFeature([Client])],
  controllers: [ClientsController, AdminClientsController],
  providers: [ClientsService, ClientReviewService, ReviewQueueMetrics],
  exports: [ClientsService],
})
export class ClientsModule {}
