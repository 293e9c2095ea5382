// Seed 003's Node.js verification example, verbatim except for the header names (CONTRACT §6, §11):
// x-oneping-signature → x-pingback-signature, x-oneping-timestamp → x-pingback-timestamp.
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

module.exports = { verifyWebhook }; // added so the test can call it
