// Seed 003's Node verifier, copied verbatim; only the header names changed (x-oneping-* → x-pingback-*).
// The seed page lost its line breaks; they are restored so its `//` comment ends where it did.
const crypto = require('crypto');

function verifyWebhook(req, secret) {
  const signature = req.headers['x-pingback-signature'];
  const timestamp = req.headers['x-pingback-timestamp'];

  // Reject requests older than 5 minutes to prevent replay attacks
  const age = Math.abs(Date.now() / 1000 - parseInt(timestamp));
  if (age > 300) return false;

  const expected = 'sha256=' + crypto
    .createHmac('sha256', secret)
    .update(timestamp + '.' + JSON.stringify(req.body))
    .digest('hex');

  return crypto.timingSafeEqual(
    Buffer.from(signature),
    Buffer.from(expected)
  );
}

module.exports = { verifyWebhook };
