/** `patch-risk train-jit --out models/jit`: retrain the default `jit` model from the shipped real-project data. */
import path from 'node:path';
import { Command } from 'commander';
import { nextVersion, readJitProjects, trainJitModel, writeModelVersion } from '../index.js';

import { addJitDataOptions, jitDataDir } from './evaluate-jit.js';

interface TrainJitFlags {
  data?: string;
  projects: string[];
  out: string;
}

export function trainJitCommand(): Command {
  return addJitDataOptions(
    new Command('train-jit').description(
      'Train the next version of the JIT model on the real projects pooled (older 80% of each trains, newest 20% of each validates), with the setup evaluate-jit measures.'
    )
  )
    .requiredOption('-o, --out <dir>', 'model folder (e.g. models/jit/); a new version is added, none is overwritten')
    .action(async (flags: TrainJitFlags) => {
      const projects = await readJitProjects(jitDataDir(flags.data), flags.projects);
      const version = nextVersion(flags.out);
      const command = [
        'patch-risk train-jit',
        ...(flags.data ? ['--data', flags.data] : []),
        '--projects',
        flags.projects.join(','),
        '--out',
        flags.out
      ].join(' ');
      const model = trainJitModel(projects, { name: path.basename(path.resolve(flags.out)), version, command });
      const written = await writeModelVersion(flags.out, model);
      const m = model.card.metrics;
      process.stdout.write(
        [
          `trained ${model.card.name} ${version}: ${model.card.training.trees} trees on ${model.card.training.rows} commits in ${model.card.training.seconds}s`,
          `validation (newest 20% of each project, ${m.rows} commits): ROC-AUC ${m.roc_auc.toFixed(4)}, PR-AUC ${m.pr_auc.toFixed(4)}, F1 ${m.f1.toFixed(4)} at threshold ${model.card.thresholds.high}, Brier ${m.brier.toFixed(4)}`,
          `wrote ${written.onnxPath} and ${written.cardPath}`
        ].join('\n') + '\n'
      );
    });
}
