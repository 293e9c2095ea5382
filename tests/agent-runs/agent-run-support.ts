import { request, type JsonResponse } from '../support/api';
import type { Stack } from '../support/stack';

/** Calls the public API as an account (its key as Bearer). */
export const apiAs =
  (stack: Stack, apiKey: string) =>
  <T = Record<string, unknown>>(path: string, init: { method?: string; body?: unknown } = {}): Promise<JsonResponse<T>> =>
    request<T>(`${stack.url}${path}`, { ...init, headers: { authorization: `Bearer ${apiKey}` } });

export type Api = ReturnType<typeof apiAs>;

export interface PingAnswer {
  status?: string;
  instance_id: string;
  workflow_status: string;
  error?: string;
}

/** A dynamic stage ping (POST /dhk), with seed 002's cost fields and any payload in the body. */
export const dynamicPing = (api: Api, workflowId: string, query: string, body: Record<string, unknown> = {}) => api<PingAnswer>(`/dhk/${workflowId}?${query}`, { method: 'POST', body });

/** A costed ping: `cost_usd` as given, on stage `path` of the workflow's current run (or the one named by `instance_id`). */
export const costedPing = (api: Api, workflowId: string, path: string, costUsd: number, extra: Record<string, unknown> = {}) => dynamicPing(api, workflowId, `stagePath=${path}`, { cost_usd: costUsd, ...extra });

export interface CostAlert {
  id: number;
  alert_type: string;
  instance_id: string;
  current_cost_usd: number;
  threshold_usd: number;
  action_taken: string;
  message: string;
  created_at: string;
  resolved_at: string | null;
}

export const costAlerts = async (api: Api, workflowId: string, query = '') => (await api<{ alerts: CostAlert[] }>(`/api/workflows/${workflowId}/cost-alerts${query}`)).body.alerts;
