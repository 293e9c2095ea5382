/**
 * The baseline: an empty Express 5 route for a stage ping. It reads the query a ping carries and answers with a
 * body the size of the seed's, doing nothing else. Run as its own process (see baseline-route-process.ts), like
 * the gateway, so it does not share the load generator's event loop. It tells its parent the port it listens on.
 */
import express from 'express';
import type { AddressInfo } from 'node:net';

const app = express();
app.disable('x-powered-by');
app.get('/shk/:workflowId', (req, res) => {
  res.json({
    status: 'success',
    workflow_id: req.params.workflowId,
    instance_id: 'wfi_01JBASELINE0000000000000000',
    stage_order: Number(req.query.stage),
    workflow_status: 'completed',
  });
});

const server = app.listen(0, '127.0.0.1', () => {
  process.send?.({ port: (server.address() as AddressInfo).port });
});
process.on('disconnect', () => server.close(() => process.exit(0)));
