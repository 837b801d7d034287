export const id = 631;
export const ids = [631];
export const modules = {

/***/ 6631:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  commitSplitAdvice: () => (/* binding */ commitSplitAdvice)
});

// EXTERNAL MODULE: ./lib/git/table.js
var git_table = __webpack_require__(6916);
;// CONCATENATED MODULE: ./lib/model/explain/commit-split.js
/**
 * "What would lower the risk" for a High commit: split it by directory. The parts are the
 * miner's (git/split.ts: each directory's files as a commit of their own, with their real
 * metrics), scored by the same model with the thresholds in effect. As for firmware patches
 * (whatif.ts), advice is given only when it helps: every part is below High AND together the
 * parts are expected to cause fewer regressions than the commit (the sum of their risks is
 * below its risk). Otherwise there is no advice for the commit.
 */
/** Parts named one by one in the text; the rest are summed up in one clause. */
const MAX_NAMED_PARTS = 4;
/** Characters of a directory name in the text (the tail is kept: it is the part that tells directories apart). */
const MAX_DIRECTORY = 40;
function directoryName(directory) {
    if (directory === '')
        return '(root files)';
    return directory.length <= MAX_DIRECTORY ? directory : `…${directory.slice(-(MAX_DIRECTORY - 1))}`;
}
/** Two decimals, or three when two would print both totals alike. */
function totalsText(before, after) {
    const digits = before.toFixed(2) === after.toFixed(2) ? 3 : 2;
    return `expected regressions ${before.toFixed(digits)} → ${after.toFixed(digits)}`;
}
/**
 * The split advice for a commit of risk `score` whose directory parts scored `parts`, under `thresholds`
 * (High at or above `high`, Medium at or above `medium`); undefined unless there are two or more parts, every part is
 * below High and the parts' risks sum to less than the commit's.
 */
function splitAdvice(score, parts, thresholds) {
    if (parts.length < 2 || parts.some((part) => !(part.score < thresholds.high)))
        return undefined;
    const after = parts.reduce((sum, part) => sum + part.score, 0);
    if (!(after < score))
        return undefined;
    const ranked = parts
        .map((part) => ({ ...part, bucket: part.score >= thresholds.medium ? 'Medium' : 'Low' }))
        .sort((a, b) => b.score - a.score || (a.directory < b.directory ? -1 : a.directory > b.directory ? 1 : 0));
    const named = ranked.length > MAX_NAMED_PARTS ? ranked.slice(0, MAX_NAMED_PARTS - 1) : ranked;
    const rest = ranked.slice(named.length);
    const clauses = named.map((part) => `${directoryName(part.directory)} (${part.score.toFixed(2)}, ${part.bucket})`);
    if (rest.length > 0) {
        const top = rest[0];
        const buckets = top.bucket === 'Low' ? 'Low' : 'Medium or Low';
        clauses.push(`${rest.length} more directories (each ≤ ${top.score.toFixed(2)}, ${buckets})`);
    }
    return { parts: ranked, before: score, after, text: `split by directory: ${clauses.join(' + ')} → ${totalsText(score, after)}` };
}

;// CONCATENATED MODULE: ./lib/api/commit-advice.js


/** One entry per row of `scored` (the rows of `mined`, in order): the advice text, or undefined. */
async function commitSplitAdvice(scored, mined, model) {
    const advice = scored.table.ids.map(() => undefined);
    const { plan } = scored;
    const split = plan.patches.filter((patch) => patch.high_risk === 1 && (mined[patch.index]?.parts?.length ?? 0) >= 2);
    if (split.length === 0)
        return advice;
    // Every part of every High commit in one table, scored in one call; ids are unique within it.
    const partRows = split.flatMap((patch) => mined[patch.index].parts.map((part, k) => ({ ...part.metrics, commit: `${patch.id} part ${k + 1}` })));
    const table = (0,git_table.commitsToTable)(partRows, { features: model.card.features, source: 'the directory parts of the High commits' });
    const scores = await model.score(table.features, partRows.length);
    let at = 0;
    for (const patch of split) {
        const parts = mined[patch.index].parts.map((part, k) => ({ directory: part.directory, score: scores[at + k] }));
        at += parts.length;
        advice[patch.index] = splitAdvice(scored.scores[patch.index], parts, plan.thresholds)?.text;
    }
    return advice;
}


/***/ })

};
