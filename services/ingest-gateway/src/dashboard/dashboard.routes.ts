import { notFound } from '@pingback/http';
import express from 'express';
import type { GatewayDeps } from '../gateway-deps';
import { createRouteFamily, type RouteFamily } from '../http/route-family';
import { approvalPages } from './approval.pages';
import { channelPages } from './channel.pages';
import { requireSession } from './dashboard-session';
import { deliveryPages } from './delivery.pages';
import { monitorPages } from './monitor.pages';
import { overviewPage } from './overview.page';
import { dashboardErrors } from './page-context';
import { roomPages } from './room.pages';
import { signInRoutes } from './sign-in.routes';
import { workflowPages } from './workflow.pages';

const FORM_LIMIT_BYTES = 64 * 1024;

/**
 * The dashboard under /app: server-rendered pages for a signed-in account, each reading and changing things through
 * the public API with the session as its credential. Forms post urlencoded with the session's CSRF token.
 */
export function dashboardRoutes(deps: GatewayDeps): RouteFamily[] {
  const form = express.urlencoded({ extended: false, limit: FORM_LIMIT_BYTES, parameterLimit: 50 });
  const pages = createRouteFamily('dashboard', { guard: [form, requireSession(deps)], foreign: notFound, onError: dashboardErrors });
  for (const area of [overviewPage, channelPages, deliveryPages, roomPages, workflowPages, monitorPages, approvalPages]) area(pages);
  return [signInRoutes(deps, form), pages];
}
