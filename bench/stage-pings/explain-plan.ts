/** A node of `EXPLAIN (ANALYZE, FORMAT JSON)` output, the fields the bench reads. */
interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

export interface ExplainOutput {
  Plan: PlanNode;
  'Planning Time': number;
  'Execution Time': number;
}

export interface ExplainedRun {
  executionMs: number;
  planningMs: number;
  /** The plan on one line, outermost node first, each with the rows it produced: "Limit (100 rows) ← LockRows (100 rows) ← [a | b]". */
  shape: string;
}

function describeNode(node: PlanNode): string {
  const target = node['Index Name'] ? ` using ${node['Index Name']}` : node['Relation Name'] ? ` on ${node['Relation Name']}` : '';
  const rows = (node['Actual Rows'] ?? 0) * (node['Actual Loops'] ?? 1);
  const removed = node['Rows Removed by Filter'] ? `, ${node['Rows Removed by Filter']} filtered out` : '';
  return `${node['Node Type']}${target} (${rows} rows${removed})`;
}

function describeTree(node: PlanNode): string {
  const children = (node.Plans ?? []).map(describeTree);
  if (children.length === 0) return describeNode(node);
  return `${describeNode(node)} ← ${children.length === 1 ? children[0]! : `[${children.join(' | ')}]`}`;
}

export function readExplain(output: ExplainOutput): ExplainedRun {
  return { executionMs: output['Execution Time'], planningMs: output['Planning Time'], shape: describeTree(output.Plan) };
}
