import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class PaginationQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 50;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  offset: number = 0;
}

/** One page of a list; `total` counts every match, not just this page. */
export class Page<T> {
  @ApiProperty({ isArray: true })
  items!: T[];

  @ApiProperty()
  total!: number;

  @ApiProperty()
  limit!: number;

  @ApiProperty()
  offset!: number;

  static of<T>(items: T[], total: number, query: PaginationQueryDto): Page<T> {
    return { items, total, limit: query.limit, offset: query.offset };
  }
}

/** A concrete page class for Swagger, whose `items` schema is the given DTO. */
export function PageOf<T>(item: new (...args: never[]) => T) {
  class PageOfItem extends Page<T> {
    @ApiProperty({ type: () => [item] })
    override items: T[] = [];
  }
  Object.defineProperty(PageOfItem, 'name', { value: `${item.name}Page` });
  return PageOfItem;
}
