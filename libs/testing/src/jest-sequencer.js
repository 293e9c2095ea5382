/**
 * Runs the longest test files first, so both workers finish together: on a fresh clone jest has no timings and
 * orders by file size, which put the longest file (tests/clients/clients.test.ts, a few imports) last and left one
 * worker idle for minutes. The list holds the files that take over a minute; the rest keep jest's order by size.
 */
const fs = require('node:fs');

const LONGEST_FIRST = [
  'tests/clients/clients.test.ts',
  'tests/delivery/fan-out.test.ts',
  'tests/foundation/rabbitmq-node-boot.test.ts',
  'tests/ping-it-back/two-copies-chaos.test.ts',
  'tests/ping-it-back/respond-page.test.ts',
  'tests/approvals/approval-clocks.test.ts',
  'tests/monitoring/heartbeat-alerts.test.ts',
  'tests/rooms/incoming-webhooks.test.ts',
  'tests/ping-it-back/rabbit-cluster.test.ts',
  'tests/ping-it-back/broker-outage.test.ts',
];

const rank = (path) => {
  const index = LONGEST_FIRST.findIndex((suffix) => path.endsWith(suffix));
  return index === -1 ? LONGEST_FIRST.length : index;
};
const size = (path) => {
  try {
    return fs.statSync(path).size;
  } catch {
    return 0;
  }
};

class LongestFirstSequencer {
  sort(tests) {
    return [...tests].sort((a, b) => rank(a.path) - rank(b.path) || size(b.path) - size(a.path));
  }
  shard(tests, { shardIndex, shardCount }) {
    return this.sort(tests).filter((_, i) => i % shardCount === shardIndex - 1);
  }
  allFailedTests(tests) {
    return tests;
  }
  cacheResults() {}
}

module.exports = LongestFirstSequencer;
