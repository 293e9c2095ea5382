import { createHash } from 'node:crypto';
import { REPO_ROOT } from './repo-root';

/**
 * The migrated template this checkout's tests copy. Named after the checkout, so a fresh clone whose migrations
 * differ (CI beside a developer's tree, on one Postgres) never rebuilds a template another run is copying.
 */
export function templateDatabaseName(): string {
  return `pingback_template_${createHash('sha256').update(REPO_ROOT).digest('hex').slice(0, 12)}`;
}
