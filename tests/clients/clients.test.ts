// The clients of the public API, on one shared stack (./shared-stack.ts): each suite is a file of its own.
import '../cli/cli.cases';
import '../mcp/mcp.cases';
import '../sdk/typescript-sdk.cases';
import '../sdk/python-sdk.cases';
import '../docs/api-docs.cases';
import '../docs/openapi-responses.cases';
import '../dashboard/dashboard.cases';
import { sharedStack } from './shared-stack';

// After every suite's own afterAll (theirs were registered first, by the imports above).
afterAll(async () => {
  await (await sharedStack()).stop();
}, 60_000);
