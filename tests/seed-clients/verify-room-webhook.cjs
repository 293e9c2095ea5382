// Seed 004's Node verifier, verbatim except for the header names (CONTRACT §6, §11):
// X-PingRoom-Signature → X-Pingback-Signature, X-PingRoom-Timestamp → X-Pingback-Timestamp.
const crypto = require("node:crypto");

// Express-style receiver. You MUST read the raw body bytes — verify the exact
// bytes that were signed, before any JSON re-serialization.
function verify(req, signingSecret) {
const sig = req.header("X-Pingback-Signature");
const ts = req.header("X-Pingback-Timestamp");
if (!sig || !ts) return false;
// Replay protection: reject anything older than ±300s.
if (Math.abs(Date.now() / 1000 - Number(ts)) > 300) return false;
const signed = `${ts}.${req.rawBody}`; // "{timestamp}.{rawBody}"
const expected = crypto
.createHmac("sha256", signingSecret)
.update(signed)
.digest("hex");
// Constant-time compare.
return crypto.timingSafeEqual(Buffer.from(sig), Buffer.from(expected));
}

module.exports = { verify }; // added so the test can call it
