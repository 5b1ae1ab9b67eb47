import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Metrics } from '../metrics/metrics.service.js';
import { Client } from './client.entity.js';

/**
 * The review queue as the operator watches it: how many registrations wait,
 * and how long the oldest has waited (the "nobody reviews" alert). Read from
 * the database at each scrape, so every instance reports the same numbers.
 */
@Injectable()
export class ReviewQueueMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    @InjectRepository(Client) private readonly clients: Repository<Client>,
  ) {}

  onModuleInit(): void {
    this.metrics.gauge('gatehouse_review_queue_depth', 'Client registrations waiting for review', [], async () => [
      [{}, await this.clients.countBy({ status: 'pending' })],
    ]);
    this.metrics.gauge('gatehouse_review_queue_oldest_seconds', 'How long the oldest pending registration has waited (0 when none)', [], async () => {
      const oldest = await this.clients.findOne({ where: { status: 'pending' }, order: { createdAt: 'ASC' }, select: { id: true, createdAt: true } });
      return [[{}, oldest ? Math.max(0, (Date.now() - oldest.createdAt.getTime()) / 1000) : 0]];
    });
  }
}
