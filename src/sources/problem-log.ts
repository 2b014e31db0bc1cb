import type { SourceProblem } from "./event-source.js";

/** A source's problems, each said once (to the CLI's stderr as it happens) however often it recurs. */
export interface ProblemLog {
  report(problem: SourceProblem): void;
  problems(): SourceProblem[];
}

export function createProblemLog(onProblem?: (problem: SourceProblem) => void): ProblemLog {
  const problems: SourceProblem[] = [];
  const seen = new Set<string>();
  return {
    report(problem) {
      const key = `${problem.location}\n${problem.reason}`;
      if (seen.has(key)) return;
      seen.add(key);
      problems.push(problem);
      onProblem?.(problem);
    },
    problems: () => problems.slice(),
  };
}
