/**
 * One risk label on the pull request, in sync with the verdict: `risk: high`
 * when any patch or commit is High, else `risk: medium` when any is Medium,
 * else `risk: low`. The other two are removed, so a PR carries exactly one
 * and teams can filter and route PRs by risk. A label the repository does not
 * have yet is created first, with its colour and description. The requests
 * go through the action's GitHub client (github-client.ts: API host only,
 * timeouts, retries within a time budget); any failure — a read-only token on
 * a fork's PR, a rate limit — is the caller's warning, never a failed gate.
 */
import type { PlanTotals, RiskBucket } from '../index.js';
import type { Octokit } from './github-client.js';

export interface RiskLabel {
  name: string;
  /** Hex colour without '#'. */
  color: string;
  description: string;
}

export const RISK_LABELS: Record<RiskBucket, RiskLabel> = {
  High: { name: 'risk: high', color: 'd73a4a', description: 'patch-risk-gate: at least one change is High regression risk' },
  Medium: { name: 'risk: medium', color: 'fbca04', description: 'patch-risk-gate: the riskiest change is Medium regression risk' },
  Low: { name: 'risk: low', color: '0e8a16', description: 'patch-risk-gate: every change is Low regression risk' }
};

const RISK_NAMES = new Set(Object.values(RISK_LABELS).map((label) => label.name));

/** The label of a verdict: its riskiest bucket. */
export function riskLabelFor(totals: Pick<PlanTotals, 'high' | 'medium'>): RiskLabel {
  return totals.high > 0 ? RISK_LABELS.High : totals.medium > 0 ? RISK_LABELS.Medium : RISK_LABELS.Low;
}

/** GitHub compares label names case-insensitively. */
function isRiskLabel(name: string): boolean {
  return RISK_NAMES.has(name.toLowerCase());
}

export interface LabelTarget {
  owner: string;
  repo: string;
  issueNumber: number;
}

export interface LabelSync {
  /** The risk label the PR carries now. */
  label: string;
  /** Whether it had to be added (false: it was there already). */
  added: boolean;
  /** Whether the repository had no such label and it was created. */
  created: boolean;
  /** Other risk labels taken off the PR. */
  removed: string[];
}

function status(error: unknown): number | undefined {
  return (error as { status?: number }).status;
}

/** Create the label in the repository unless it exists (another run may create it at the same time: 422 is fine). */
async function ensureLabel(octokit: Octokit, target: LabelTarget, label: RiskLabel): Promise<boolean> {
  const repo = { owner: target.owner, repo: target.repo };
  try {
    await octokit.rest.issues.getLabel({ ...repo, name: label.name });
    return false;
  } catch (error) {
    if (status(error) !== 404) throw error;
  }
  try {
    await octokit.rest.issues.createLabel({ ...repo, name: label.name, color: label.color, description: label.description });
    return true;
  } catch (error) {
    if (status(error) === 422) return false;
    throw error;
  }
}

/** Put `wanted` on the PR and take the other risk labels off. */
export async function syncRiskLabel(octokit: Octokit, target: LabelTarget, wanted: RiskLabel): Promise<LabelSync> {
  const issue = { owner: target.owner, repo: target.repo, issue_number: target.issueNumber };
  const current = (await octokit.paginate(octokit.rest.issues.listLabelsOnIssue, { ...issue, per_page: 100 })).map((label) => label.name);
  const removed: string[] = [];
  for (const name of current) {
    if (!isRiskLabel(name) || name.toLowerCase() === wanted.name) continue;
    try {
      await octokit.rest.issues.removeLabel({ ...issue, name });
    } catch (error) {
      // Already gone (another run, or someone by hand): nothing to do.
      if (status(error) !== 404) throw error;
    }
    removed.push(name);
  }
  if (current.some((name) => name.toLowerCase() === wanted.name)) return { label: wanted.name, added: false, created: false, removed };
  const created = await ensureLabel(octokit, target, wanted);
  await octokit.rest.issues.addLabels({ ...issue, labels: [wanted.name] });
  return { label: wanted.name, added: true, created, removed };
}

/** A warning for a label that could not be set; the gate never depends on it. */
export function labelFailureMessage(error: unknown, label: string): string {
  const code = status(error);
  const detail = error instanceof Error ? error.message : String(error);
  if (code === 403 && !/rate limit/i.test(detail)) {
    return (
      `could not set the "${label}" label (403 Forbidden: ${detail}). The token needs "permissions: pull-requests: write" ` +
      '(and issues: write to create the label); on pull requests from forks the GITHUB_TOKEN is read-only. ' +
      'Set risk-label: false to stop trying. The gate is unaffected.'
    );
  }
  return `could not set the "${label}" label (${code ?? 'network error'}: ${detail}). The gate is unaffected.`;
}
