/**
 * How a trigger reads as one sentence: in the export, read mode, and as the text of an amendment
 * that adds or removes a trigger (so the amendment and the printed document say the same).
 */

/**
 * A clause's first letter lowered to follow "If" or a comma, unless the first word looks like a
 * name (a party, an acronym, a word capitalised mid-word): "Monitors are denied" reads "monitors
 * are denied", "NATO aircraft" and "Ukraine requests" stay.
 */
function asClause(text: string, names: string[]): string {
  const clause = text.trim().replace(/[.;]+$/, '');
  const word = clause.split(/\s/, 1)[0] ?? '';
  const named = names.some((n) => clause.startsWith(n));
  const plainWord = /^\p{Lu}[\p{Ll}'’-]*[,:]?$/u.test(word);
  return !named && plainWord ? clause.charAt(0).toLowerCase() + clause.slice(1) : clause;
}

/** One trigger as the sentence a reader expects; missing parts are named, never left blank. */
export function triggerSentence(
  t: { condition: string; response: string; deadlineHours: number | null; responsible: string[] },
  names: string[],
): string {
  const condition = t.condition.trim() ? asClause(t.condition, names) : '(condition not set)';
  const response = t.response.trim() ? asClause(t.response, names) : '(response not set)';
  const deadline =
    t.deadlineHours === null ? ' (no deadline set)' : ` within ${formatDeadline(t.deadlineHours)}`;
  return `If ${condition}, ${response}${deadline}; responsible: ${t.responsible.join(', ') || 'not set'}.`;
}

export function formatDeadline(hours: number | null): string {
  if (hours === null) return 'not set';
  if (hours >= 48 && hours % 24 === 0) return `${hours / 24} days`;
  return `${hours} hour${hours === 1 ? '' : 's'}`;
}
