import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { apiKeyOf, channelTokenOf, expectStatus, type PingbackConnection } from './pingback-connection';

const Choice = z.object({ key: z.string().min(1).describe('what the answer says when this is chosen'), label: z.string().min(1).describe('what the person sees') });
const Priority = z.enum(['low', 'normal', 'high', 'critical']);

/** How often ask_and_wait asks whether the person answered. */
const POLL_MS = 1_000;
/**
 * How long ask_and_wait waits by default: under the 60 s a typical MCP client waits for a tool. A longer wait needs
 * a client that resets its time-out on progress (ask_and_wait reports progress every poll when asked to).
 */
const DEFAULT_WAIT_SECONDS = 50;
/** Ids the API hands out: a `.` or `..` would name another route. */
const ApiId = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be an id the API gave');

type Result = { content: { type: 'text'; text: string }[]; structuredContent: Record<string, unknown>; isError?: boolean };

/** A tool's answer: the same object as JSON text (for any client) and as structured content. */
const answer = (value: Record<string, unknown>): Result => ({ content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value });

/** A refusal or failure as a tool error the agent can read, never a dropped connection. */
async function guarded(run: () => Promise<Record<string, unknown>>): Promise<Result> {
  try {
    return answer(await run());
  } catch (err) {
    return { ...answer({ error: (err as Error).message }), isError: true };
  }
}

interface PollAnswer {
  status: 'pending' | 'submitted' | 'expired' | 'already_read' | 'failed';
  result?: { triggered_by: string; responses: Record<string, unknown> };
}

/**
 * The tools an agent calls: `send_ping`, `ask_and_wait`, `request_approval`, `get_approval`, `report_stage` and
 * `report_cost`, each one call (or a short series) of Pingback's public API with the connection's credentials.
 */
export function registerPingbackTools(server: McpServer, connection: PingbackConnection): void {
  const sendPing = async (body: Record<string, unknown>) => {
    const token = channelTokenOf(connection);
    const sent = await expectStatus<{ id: string }>(connection, `/v1/send/${encodeURIComponent(token)}`, 200, { body });
    return { token, messageId: sent.id };
  };

  server.registerTool(
    'send_ping',
    {
      title: 'Send a notification',
      description: "Notify the person on the channel's destinations (phone, email, chat); returns the message id at once.",
      inputSchema: { title: z.string().min(1), body: z.string().optional(), buttons: z.array(Choice).max(10).optional(), priority: Priority.optional() },
    },
    (input) =>
      guarded(async () => {
        const { messageId } = await sendPing({
          title: input.title,
          ...(input.body !== undefined ? { body: input.body } : {}),
          ...(input.buttons?.length ? { actions: input.buttons.map((choice) => ({ type: 'button', ...choice })) } : {}),
          ...(input.priority ? { priority: input.priority } : {}),
        });
        return { message_id: messageId };
      }),
  );

  server.registerTool(
    'ask_and_wait',
    {
      title: 'Ask a person and wait for the answer',
      description:
        'Ask a question with choices (buttons) or a text field, and wait until the person answers or the time runs out. Returns the chosen key and any text typed, or answered: false.',
      inputSchema: {
        question: z.string().min(1),
        details: z.string().optional(),
        choices: z.array(Choice).max(10).optional(),
        text_field: z.object({ key: z.string().min(1), label: z.string().min(1), placeholder: z.string().optional() }).optional(),
        timeout_seconds: z.number().int().min(1).max(3_600).default(DEFAULT_WAIT_SECONDS),
      },
    },
    (input, extra) =>
      guarded(async () => {
        if (!input.choices?.length && !input.text_field) throw new Error('give choices or a text_field: a question without either cannot be answered');
        const actions = [
          ...(input.text_field ? [{ type: 'text', ...input.text_field }] : []),
          ...(input.choices?.length ? input.choices.map((choice) => ({ type: 'button', ...choice })) : input.text_field ? [{ type: 'button', key: 'submit', label: 'Send' }] : []),
        ];
        const { token, messageId } = await sendPing({ title: input.question, ...(input.details ? { body: input.details } : {}), ...(actions.length ? { actions } : {}) });
        const startedAt = Date.now();
        const giveUpAt = startedAt + input.timeout_seconds * 1000;
        const progressToken = extra._meta?.progressToken;
        // A client that gave up (a cancel, a closed connection) ends the wait: no later poll reads the answer it would never see.
        while (!extra.signal.aborted) {
          const polled = await expectStatus<PollAnswer>(connection, `/v1/callback/${encodeURIComponent(token)}/${encodeURIComponent(messageId)}`, 200);
          if (polled.status === 'submitted') return { answered: true, message_id: messageId, choice: polled.result?.triggered_by ?? null, responses: polled.result?.responses ?? {} };
          if (polled.status !== 'pending') return { answered: false, message_id: messageId, status: polled.status };
          if (Date.now() >= giveUpAt) return { answered: false, message_id: messageId, status: 'timed_out' };
          if (progressToken !== undefined) {
            const elapsed = Math.round((Date.now() - startedAt) / 1000);
            await extra.sendNotification({ method: 'notifications/progress', params: { progressToken, progress: elapsed, total: input.timeout_seconds, message: 'waiting for the answer' } });
          }
          await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, giveUpAt - Date.now())));
        }
        return { answered: false, message_id: messageId, status: 'cancelled' };
      }),
  );

  server.registerTool(
    'request_approval',
    {
      title: 'Request an approval',
      description: "Ask the account's reviewers to approve or deny; returns the approval id at once (read it with get_approval).",
      inputSchema: {
        context: z.string().min(1).describe('what needs deciding, as the reviewers will read it'),
        timeout_seconds: z.number().int().min(1).max(86_400).default(300),
        timeout_action: z.enum(['deny', 'approve']).default('deny'),
      },
    },
    (input) => guarded(() => expectStatus<Record<string, unknown>>(connection, '/api/approvals', 201, { key: apiKeyOf(connection), body: input })),
  );

  server.registerTool(
    'get_approval',
    {
      title: 'Read an approval',
      description: 'The approval as it stands: result 1 approved, 0 denied, null pending. wait_seconds (up to 30) holds the read until a decision.',
      inputSchema: { approval_id: ApiId, wait_seconds: z.number().int().min(0).max(30).default(0) },
    },
    (input) =>
      guarded(() =>
        expectStatus<Record<string, unknown>>(connection, `/api/approvals/${encodeURIComponent(input.approval_id)}`, 200, {
          key: apiKeyOf(connection),
          query: { wait: input.wait_seconds },
          timeoutMs: (input.wait_seconds + 15) * 1000,
        }),
      ),
  );

  const stageInput = {
    workflow_id: z.string().min(1),
    stage_path: z.string().min(1).describe('1, 2, 2.1 …'),
    agent: z.string().optional(),
    instance_id: z.string().optional().describe('a fork or re-run to report into'),
  };
  const reportStage = (input: { workflow_id: string; stage_path: string; agent?: string | undefined; start?: boolean | undefined; final?: boolean | undefined; stage_name?: string | undefined }, body: Record<string, unknown>) =>
    expectStatus<Record<string, unknown>>(connection, `/dhk/${encodeURIComponent(input.workflow_id)}`, 200, {
      key: apiKeyOf(connection),
      query: { stagePath: input.stage_path, agent: input.agent, start: input.start ? 'yes' : undefined, final: input.final ? 'yes' : undefined, stagename: input.stage_name },
      body,
    });

  server.registerTool(
    'report_stage',
    {
      title: "Report a workflow's stage",
      description: 'Record a stage of a dynamic workflow (seed 002): start begins a run (creating the workflow), final completes it; status failure fails it.',
      inputSchema: {
        ...stageInput,
        start: z.boolean().optional(),
        final: z.boolean().optional(),
        stage_name: z.string().optional(),
        status: z.enum(['success', 'failure']).optional(),
        payload: z.record(z.string(), z.unknown()).optional(),
      },
    },
    (input) =>
      guarded(() =>
        reportStage(input, { ...(input.payload ?? {}), ...(input.status ? { status: input.status } : {}), ...(input.instance_id ? { instance_id: input.instance_id } : {}) }),
      ),
  );

  server.registerTool(
    'report_cost',
    {
      title: "Report an LLM call's cost",
      description: "Record a stage with its model, tokens and cost (seed 002's cost fields); without cost_usd it is priced from the model price table. The workflow's budget may pause or end the run.",
      inputSchema: {
        ...stageInput,
        model_id: z.string().min(1),
        input_tokens: z.number().int().min(0).optional(),
        output_tokens: z.number().int().min(0).optional(),
        cost_usd: z.number().min(0).optional(),
      },
    },
    (input) =>
      guarded(() =>
        reportStage(input, {
          model_id: input.model_id,
          usage: { ...(input.input_tokens !== undefined ? { input_tokens: input.input_tokens } : {}), ...(input.output_tokens !== undefined ? { output_tokens: input.output_tokens } : {}) },
          ...(input.cost_usd !== undefined ? { cost_usd: input.cost_usd } : {}),
          ...(input.instance_id ? { instance_id: input.instance_id } : {}),
        }),
      ),
  );
}
