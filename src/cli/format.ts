/** Plain-text rendering of runs for the terminal. */
import type { RunView, StepView } from '../workflow/index.ts';

function short(value: unknown, max = 60): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')).join('\n');
}

export function formatRunList(runs: RunView[]): string {
  if (runs.length === 0) return 'No runs.';
  return table([
    ['RUN', 'WORKFLOW', 'STATUS', 'AT STEP', 'STARTED'],
    ...runs.map((r) => [r.id, `${r.workflowId}@${r.version}`, r.status, r.cursor ?? '-', r.createdAt ?? '']),
  ]);
}

function duration(step: StepView): string {
  if (step.durationMs === null) return '…';
  return step.durationMs < 1000 ? `${step.durationMs}ms` : `${(step.durationMs / 1000).toFixed(1)}s`;
}

/** A run and its timeline: one line per step attempt. */
export function formatRunTimeline(run: RunView): string {
  const lines = [
    `Run       ${run.id}`,
    `Workflow  ${run.workflowId} (version ${run.version})`,
    `Status    ${run.status}${run.waitingFor === null ? '' : ` — waiting for "${run.waitingFor.name}"${run.waitingFor.key === null ? '' : ` key ${run.waitingFor.key}`}`}${run.wakeAt === null || run.status === 'completed' ? '' : ` until ${run.wakeAt}`}`,
    `Started   ${run.createdAt ?? ''}${run.endedAt === null ? '' : `   Ended ${run.endedAt}`}`,
    `Trigger   ${short(run.trigger)}`,
  ];
  if (run.error !== null) lines.push(`Error     ${short(run.error, 200)}`);
  if (run.output !== null) lines.push(`Output    ${short(run.output, 200)}`);
  lines.push('', 'Timeline');
  const steps = run.steps ?? [];
  if (steps.length === 0) lines.push('  (no steps yet)');
  else {
    lines.push(
      table([
        ['#', 'STEP', 'TYPE', 'STATUS', 'TRY', 'ACTOR', 'AT', 'TOOK', 'OUTPUT / ERROR'],
        ...steps.map((s) => [
          String(s.seq + 1),
          s.stepId,
          s.type,
          s.status,
          String(s.attempt),
          s.actor,
          s.startedAt?.slice(11, 19) ?? '',
          duration(s),
          s.error !== null ? `✗ ${short((s.error as { message?: string }).message ?? s.error)}` : short(s.output),
        ]),
      ])
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n'),
    );
  }
  return lines.join('\n');
}
