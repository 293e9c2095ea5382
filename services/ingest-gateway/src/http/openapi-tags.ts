/** Which part of Pingback a path belongs to: /docs shows the document in these sections, in this order. */
const AREAS: ReadonlyArray<[string, RegExp]> = [
  ['Ping it back', /^\/(v1\/|r\/|inbox\/|push-worker\.js)/],
  ['Channels and deliveries', /^\/api\/(channels|endpoints|deliveries|messages)\b/],
  ['Rooms (seed 004)', /^\/api\/(rooms|webhooks)\b/],
  ['Monitoring and agent runs (seed 002)', /^\/(shk|dhk|phk|hbk|hhk)\/|^\/api\/(workflows|instances|process-hooks|heartbeats|alerts|model-prices)\b/],
  ['Approvals (seed 002)', /^\/a\/|^\/api\/(approvals|reviewers)\b/],
  ['Accounts and keys', /^\/admin\/|^\/api\/(keys|account)\b/],
  ['Dashboard (HTML pages)', /^\/app\b/],
  ['This document', /^\/(openapi\.json|docs)\b/],
];

const areaOf = (path: string) => AREAS.find(([, pattern]) => pattern.test(path))?.[0] ?? 'Other';

type Paths = Record<string, Record<string, unknown>>;

/** The paths with each operation tagged by its area, and the tags in the order above. */
export function taggedByArea(paths: Paths): { paths: Paths; tags: { name: string }[] } {
  const tagged: Paths = {};
  for (const [path, item] of Object.entries(paths)) {
    const tags = [areaOf(path)];
    tagged[path] = Object.fromEntries(Object.entries(item).map(([method, operation]) => [method, method === 'parameters' ? operation : { tags, ...(operation as object) }]));
  }
  const used = new Set(Object.keys(paths).map(areaOf));
  return { paths: tagged, tags: [...AREAS.map(([name]) => name), 'Other'].filter((name) => used.has(name)).map((name) => ({ name })) };
}
