// Seed 002's "JavaScript / Node.js" example, with only the address and the key from the environment.
const PINGPULSE_URL = `${process.env.PINGBACK_API}/dhk/YOUR_WORKFLOW_ID`;
const API_KEY = process.env.PINGBACK_KEY;

async function pingStage(stagePath, payload = {}, { start = false, final = false } = {}) {
  const params = new URLSearchParams({
    key: API_KEY,
    stagePath,
    ...(start && { start: "yes" }),
    ...(final && { final: "yes" }),
  });

  const response = await fetch(`${PINGPULSE_URL}?${params}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(payload),
  });

  return response.json();
}

// Usage
console.log(JSON.stringify(await pingStage("1", { step: "extract" }, { start: true })));
console.log(JSON.stringify(await pingStage("2", { records: 1000 })));
console.log(JSON.stringify(await pingStage("3", { status: "complete" }, { final: true })));
