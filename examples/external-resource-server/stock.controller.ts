import { Controller, Get } from '@nestjs/common';
import { CurrentPrincipal, type GatehousePrincipal, RequirePermissions } from '@gatehouse/resource-server';

/** A small sample of what this service guards: stock levels, for tokens with inventory:read. */
const STOCK = [
  { sku: 'GH-0001', warehouse: 'A', on_hand: 120 },
  { sku: 'GH-0003', warehouse: 'B', on_hand: 250 },
];

@Controller()
export class StockController {
  /** Any valid Gatehouse access token: who is calling. */
  @Get('whoami')
  whoami(@CurrentPrincipal() principal: GatehousePrincipal) {
    return { sub: principal.subject, client_id: principal.clientId, scope: principal.scope.join(' ') };
  }

  /** `inventory:read` in the token's scope (else 403 insufficient_scope) and held by the principal now (else 403). */
  @Get('stock')
  @RequirePermissions('inventory:read')
  stock(@CurrentPrincipal() principal: GatehousePrincipal) {
    return { items: STOCK, served_to: principal.clientId };
  }
}
