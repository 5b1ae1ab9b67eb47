import { Injectable } from '@nestjs/common';
import { Page, type PaginationQueryDto } from '../../common/dto/pagination.dto.js';
import type { InventoryItemDto } from './dto/inventory-item.dto.js';

/** A fixed sample: the module exists to show a machine-to-machine route, not to manage stock. */
const ITEMS: readonly InventoryItemDto[] = Object.freeze([
  { sku: 'GH-0001', name: 'Brass gate hinge', quantity: 120, location: 'Warehouse A' },
  { sku: 'GH-0002', name: 'Iron gate latch', quantity: 64, location: 'Warehouse A' },
  { sku: 'GH-0003', name: 'Padlock, 40 mm', quantity: 250, location: 'Warehouse B' },
  { sku: 'GH-0004', name: 'Key blank', quantity: 1000, location: 'Warehouse B' },
  { sku: 'GH-0005', name: 'Gatepost cap', quantity: 18, location: 'Yard' },
]);

@Injectable()
export class InventoryService {
  list(query: PaginationQueryDto): Page<InventoryItemDto> {
    const items = ITEMS.slice(query.offset, query.offset + query.limit).map(({ sku, name, quantity, location }) => ({ sku, name, quantity, location }));
    return Page.of(items, ITEMS.length, query);
  }
}
