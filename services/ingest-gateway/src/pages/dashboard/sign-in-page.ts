import type { Response } from 'express';
import { escapeHtml } from '../escape-html';
import { csrfField, sendPublicDashboardPage } from './dashboard-layout';

export function signInPage(res: Response, status: number, formToken: string, problem?: string): void {
  const notice = problem ? `<p class="notice error" role="alert">${escapeHtml(problem)}</p>` : '';
  sendPublicDashboardPage(
    res,
    status,
    'Sign in',
    `${notice}<form class="card" method="post" action="/app/sign-in">` +
      csrfField(formToken) +
      `<label for="api-key">API key</label><input id="api-key" name="api_key" type="password" autocomplete="current-password" required placeholder="pbk_…">` +
      `<button class="primary" type="submit">Sign in</button></form>` +
      `<p class="muted">Your session lasts until you sign out, it expires, or the key is revoked. The key itself is not kept.</p>`,
  );
}
