/**
 * A workspace and a fake GitHub API for the hardening tests of the built
 * action (faults, security, bad models), on top of action-harness.ts.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runActionInProcess, runBuiltAction, type RunResult } from './action-harness.js';

export const REPO = 'acme/firmware';
export const PR = 7;
export const HEADER = 'patch_id,code_churn_score,patch_size_mb,lines_changed,files_changed,avg_device_age_days,is_hotfix,patch_security';
export const RISKY = '0.95,40,60000,45,2600,1,1';
export const CALM = '0.05,0.2,12,1,60,0,0';
export const TOKEN = 'ghs_fakeTokenValue1234567890';
export const COMMENTS_PATH = `/repos/${REPO}/issues/${PR}/comments`;

export function prPayload(labels: string[] = []): object {
  return {
    action: 'synchronize',
    number: PR,
    pull_request: { number: PR, labels: labels.map((name) => ({ name })) },
    sender: { login: 'dev' }
  };
}

export interface HardeningRun {
  apiUrl: string;
  inputs?: Record<string, string>;
  event?: string;
  payload?: object;
  env?: Record<string, string>;
  nodeArgs?: string[];
  /** Run dist/index.js as a child process (also whenever nodeArgs are given); otherwise run() in this process. */
  bundle?: boolean;
}

export class Workspace {
  readonly work = mkdtempSync(path.join(tmpdir(), 'prg-hardening-'));
  readonly dir = path.join(this.work, 'workspace');
  private counter = 0;

  constructor() {
    mkdirSync(this.dir, { recursive: true });
  }

  /** Write a file in the workspace; returns its absolute path. */
  write(name: string, content: string | Uint8Array): string {
    const file = path.join(this.dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
    return file;
  }

  run(options: HardeningRun): Promise<RunResult> {
    const runner = options.bundle || options.nodeArgs !== undefined ? runBuiltAction : runActionInProcess;
    return runner({
      dir: path.join(this.work, `run-${++this.counter}`),
      workspace: this.dir,
      apiUrl: options.apiUrl,
      repository: REPO,
      // The comment's own faults and security are tested here; the risk label has its own suite (action-labels.test.ts).
      inputs: { patches: 'patches.csv', 'github-token': TOKEN, 'risk-label': 'false', ...options.inputs },
      event: options.event ?? 'pull_request',
      payload: options.payload ?? prPayload(),
      env: options.env,
      nodeArgs: options.nodeArgs
    });
  }

  cleanup(): void {
    rmSync(this.work, { recursive: true, force: true });
  }
}
