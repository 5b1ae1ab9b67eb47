import { ApiProperty } from '@nestjs/swagger';

export class InventoryItemDto {
  @ApiProperty({ example: 'GH-0001' }) sku!: string;
  @ApiProperty({ example: 'Brass gate hinge' }) name!: string;
  @ApiProperty({ example: 120 }) quantity!: number;
  @ApiProperty({ example: 'Warehouse A' }) location!: string;
}
