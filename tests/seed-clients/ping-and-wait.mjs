const TOKEN = process.env.PINGBACK_TOKEN;
const API = process.env.PINGBACK_API;

async function pingAndWait(title, body, actions, timeout = 300000) {
  // Send notification
  const sendRes = await fetch(`${API}/v1/send/${TOKEN}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ title, body, actions })
  });
  const { id: msgId } = await sendRes.json();

  // Poll for response
  const start = Date.now();
  while (Date.now() - start < timeout) {
    const pollRes = await fetch(`${API}/v1/callback/${TOKEN}/${msgId}`);
    const result = await pollRes.json();

    if (result.status === 'submitted') return result.result;
    if (['expired', 'already_read', 'failed'].includes(result.status)) return null;

    await new Promise(r => setTimeout(r, 3000));
  }
  return null; // Timeout
}

// Usage
const result = await pingAndWait(
  'Approve Purchase?',
  'Order #1234 - $500',
  [
    { type: 'button', label: 'Approve', key: 'approve', style: 'primary' },
    { type: 'button', label: 'Reject', key: 'reject', style: 'destructive' }
  ]
);

if (result?.triggered_by === 'approve') {
  console.log('Processing order...');
}

console.log(JSON.stringify(result)); // added for the test
