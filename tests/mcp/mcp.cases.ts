import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { freePort } from '@pingback/testing';
import { answer, createChannel, messageIdTitled, request, respondUrls, type ChannelCredentials } from '../support/api';
import { sharedStack } from '../clients/shared-stack';
import type { Stack } from '../support/stack';

const SERVER = join(__dirname, '../../libs/mcp/bin/pingback-mcp.js');
const TOOLS = ['ask_and_wait', 'get_approval', 'report_cost', 'report_stage', 'request_approval', 'send_ping'];

let stack: Stack;
let account: ChannelCredentials;
let stdioClient: Client;
let httpServer: ChildProcess;
let httpUrl: URL;

beforeAll(async () => {
  stack = await sharedStack();
  account = await createChannel(stack);
  const env = { PATH: process.env.PATH ?? '', PINGBACK_URL: stack.url, PINGBACK_API_KEY: account.apiKey, PINGBACK_TOKEN: account.token, PINGBACK_CONFIG: '/nonexistent/config.json' };
  stdioClient = new Client({ name: 'pingback-test-agent', version: '1.0.0' });
  await stdioClient.connect(new StdioClientTransport({ command: process.execPath, args: [SERVER], env }));
  // The HTTP server starts without credentials: each request brings its own.
  const port = await freePort();
  httpServer = spawn(process.execPath, [SERVER, '--http', '--port', String(port)], { env: { PATH: env.PATH, PINGBACK_URL: stack.url, PINGBACK_CONFIG: env.PINGBACK_CONFIG }, stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    httpServer.stderr!.on('data', (chunk: Buffer) => chunk.toString().includes('streamable HTTP at') && resolve());
    httpServer.on('exit', (code) => reject(new Error(`pingback-mcp --http exited with ${code}`)));
  });
  httpUrl = new URL(`http://127.0.0.1:${port}/mcp`);
}, 120_000);
afterAll(async () => {
  await stdioClient?.close();
  httpServer?.kill();
});

const bearer = () => ({ authorization: `Bearer ${account.apiKey}` });

/** Answers the newest message titled `title` on its first respond link, as a person in the inbox would. */
async function answerInInbox(title: string, body: Record<string, unknown>): Promise<void> {
  const id = await messageIdTitled(stack, account.apiKey, title);
  const [link] = await respondUrls(stack, account.apiKey, id);
  expect((await answer(link!, body)).status).toBe(201);
}

type ToolResult = { structuredContent?: Record<string, unknown>; isError?: boolean };

describe('the MCP server over stdio', () => {
  test('when an MCP client lists the tools, then it finds the six Pingback tools with their input schemas', async () => {
    const { tools } = await stdioClient.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(TOOLS);
    expect(tools.find((tool) => tool.name === 'ask_and_wait')!.inputSchema).toMatchObject({ type: 'object', properties: { question: { type: 'string' } }, required: ['question'] });
  });

  test('when the agent calls ask_and_wait with choices, then it returns the choice the person made in the inbox', async () => {
    const asked = stdioClient.callTool({ name: 'ask_and_wait', arguments: { question: 'Roll back the release?', choices: [{ key: 'rollback', label: 'Roll back' }, { key: 'keep', label: 'Keep it' }], timeout_seconds: 60 } });
    await answerInInbox('Roll back the release?', { triggered_by: 'rollback' });

    const result = (await asked) as ToolResult;
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ answered: true, choice: 'rollback' });
  });

  test('when the agent asks with a text field, then the text typed comes back', async () => {
    const asked = stdioClient.callTool({ name: 'ask_and_wait', arguments: { question: 'Which branch?', text_field: { key: 'branch', label: 'Branch' }, timeout_seconds: 60 } });
    await answerInInbox('Which branch?', { triggered_by: 'submit', responses: { branch: 'release/2.1' } });

    expect(((await asked) as ToolResult).structuredContent).toMatchObject({ answered: true, choice: 'submit', responses: { branch: 'release/2.1' } });
  });

  test('when the agent requests an approval and reads it, then get_approval holds the read until the decision', async () => {
    const requested = (await stdioClient.callTool({ name: 'request_approval', arguments: { context: 'Spend $40 on GPU time?', timeout_seconds: 60 } })) as ToolResult;
    const approvalId = requested.structuredContent!.approval_id as string;
    const reading = stdioClient.callTool({ name: 'get_approval', arguments: { approval_id: approvalId, wait_seconds: 20 } });
    await request(`${stack.url}/api/approvals/${approvalId}/decide`, { body: { decision: 'approve' }, headers: bearer() });

    expect(((await reading) as ToolResult).structuredContent).toMatchObject({ approval_id: approvalId, status: 'approved', result: 1 });
  });

  test('when the agent reports stages with their cost, then the run and its cost are recorded', async () => {
    const started = (await stdioClient.callTool({ name: 'report_stage', arguments: { workflow_id: 'mcp_agent_run', stage_path: '1', start: true, payload: { task: 'plan' } } })) as ToolResult;
    const costed = (await stdioClient.callTool({ name: 'report_cost', arguments: { workflow_id: 'mcp_agent_run', stage_path: '2', model_id: 'gpt-4o-mini', input_tokens: 10_000, output_tokens: 2_000 } })) as ToolResult;

    const instanceId = started.structuredContent!.instance_id as string;
    expect(costed.structuredContent).toMatchObject({ instance_id: instanceId, workflow_status: 'running' });
    expect((await request(`${stack.url}/api/instances/${instanceId}/cost`, { headers: bearer() })).body).toMatchObject({ total_cost_usd: 0.0027 });
  });

  test('when a question has neither choices nor a text field, then ask_and_wait refuses it rather than wait for an answer that cannot come', async () => {
    const refused = (await stdioClient.callTool({ name: 'ask_and_wait', arguments: { question: 'Nothing to answer with' } })) as ToolResult;
    expect(refused).toMatchObject({ isError: true, structuredContent: { error: expect.stringContaining('choices or a text_field') } });
  });

  test('when a tool is refused by the API, then the agent gets a tool error naming it, and the server goes on', async () => {
    const refused = (await stdioClient.callTool({ name: 'get_approval', arguments: { approval_id: 'apr_nosuch' } })) as ToolResult;
    expect(refused.isError).toBe(true);
    expect(refused.structuredContent!.error).toContain('404');
    expect((await stdioClient.listTools()).tools).toHaveLength(6);
  });
});

describe('the MCP server over streamable HTTP', () => {
  const connectHttp = async (headers: Record<string, string>) => {
    const client = new Client({ name: 'pingback-http-agent', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(httpUrl, { requestInit: { headers } }));
    return client;
  };

  test("when an agent connects with its own key and channel token, then ask_and_wait answers with the person's choice", async () => {
    const client = await connectHttp({ ...bearer(), 'x-pingback-channel-token': account.token });
    try {
      expect((await client.listTools()).tools.map((tool) => tool.name).sort()).toEqual(TOOLS);
      const asked = client.callTool({ name: 'ask_and_wait', arguments: { question: 'Ship it over HTTP?', choices: [{ key: 'ship', label: 'Ship' }], timeout_seconds: 60 } });
      await answerInInbox('Ship it over HTTP?', { triggered_by: 'ship' });
      expect(((await asked) as ToolResult).structuredContent).toMatchObject({ answered: true, choice: 'ship' });
    } finally {
      await client.close();
    }
  });

  test('when an agent brings no credentials, then the tools answer with an error, not a ping', async () => {
    const client = await connectHttp({});
    try {
      const refused = (await client.callTool({ name: 'send_ping', arguments: { title: 'Nobody sent this' } })) as ToolResult;
      expect(refused).toMatchObject({ isError: true, structuredContent: { error: expect.stringContaining('channel token') } });
    } finally {
      await client.close();
    }
  });

  test('when a web page posts to the server (an Origin, or a body not labelled JSON), then it is refused before any tool runs', async () => {
    const call = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    const fromPage = await fetch(httpUrl, { method: 'POST', headers: { origin: 'http://127.0.0.1:1', 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: call });
    const plainText = await fetch(httpUrl, { method: 'POST', headers: { 'content-type': 'text/plain', accept: 'application/json, text/event-stream' }, body: call });
    expect([fromPage.status, plainText.status]).toEqual([403, 415]);
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const basic = await fetch(httpUrl, { method: 'POST', headers: { ...headers, authorization: `Basic ${account.apiKey}` }, body: call });
    const broken = await fetch(httpUrl, { method: 'POST', headers, body: '{not json' });
    expect(basic.status).toBe(401);
    expect({ status: broken.status, body: await broken.json() }).toMatchObject({ status: 400, body: { jsonrpc: '2.0', error: { code: -32700 } } });
  });
});
