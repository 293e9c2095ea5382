// Seed 002's "Node.js" example (axios), with only the address and the key from the environment.
const axios = require('axios');

const PINGPULSE_KEY = process.env.PINGBACK_KEY;
const BASE_URL = process.env.PINGBACK_API;

async function pingStage(workflowId, stage) {
  const url = `${BASE_URL}/shk/${workflowId}`;
  return axios.get(url, { params: { stage, key: PINGPULSE_KEY } });
}

async function pingDynamic(workflowId, stagePath, options = {}) {
  const url = `${BASE_URL}/dhk/${workflowId}`;
  const params = { stagePath, key: PINGPULSE_KEY };
  if (options.start) params.start = 'yes';
  if (options.stagename) params.stagename = options.stagename;
  return axios.get(url, { params });
}

// Usage (wrapped in an async function: the seed's top-level await needs a module)
(async () => {
  console.log(JSON.stringify((await pingStage('swf123', 1)).data));
  console.log(JSON.stringify((await pingDynamic('ml_pipeline', '1', { start: true })).data));
})();
