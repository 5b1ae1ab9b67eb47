import { Module } from '@nestjs/common';
import { InventoryModule } from './inventory/inventory.module.js';
import { NotesModule } from './notes/notes.module.js';
import { ReportsModule } from './reports/reports.module.js';

/** The sample guarded modules; a new resource module is added here (see docs/guarded-modules.md). */
@Module({
  imports: [NotesModule, ReportsModule, InventoryModule],
})
export class ResourcesModule {}
