import type { Logger } from 'pino';
import type { AdminRepository } from '../../admin/admin-repository.ts';
import type { AiRepository } from '../../ai/ai-repository.ts';
import type { AuditRepository } from '../../audit/audit-repository.ts';
import type { CatalogRepository } from '../../catalog/catalog-repository.ts';
import type { OffersRepository } from '../../offers/offers-repository.ts';
import type { AdminPanelRepository } from './admin-panel-repository.ts';
import type { ChartRenderer } from './analytics/chart-renderer.ts';
import type { ConversationStore } from './conversation-store.ts';
import type { PhotoIntake } from './photos/photo-intake.ts';
import type { PhotoRepository } from './photos/photo-repository.ts';

/** What the admin panel is built from (admin-panel-feature.ts wires it). */
export interface AdminPanelDeps {
  conversations: ConversationStore;
  panel: AdminPanelRepository;
  catalog: CatalogRepository;
  admin: AdminRepository;
  offers: OffersRepository;
  ai: AiRepository;
  audit: AuditRepository;
  photoIntake: PhotoIntake;
  photos: PhotoRepository;
  publicSiteUrl: string;
  charts: ChartRenderer;
  logger: Logger;
}
