/**
 * An Athena execution parameter for a string: the parameter text is itself an SQL literal
 * ('AssumeRole'), so quotes inside the value are doubled. Athena substitutes the literal as one
 * token; doubling keeps a value like x' OR '1'='1 inside the literal instead of ending it.
 */
export function stringParameter(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** An Athena execution parameter for a non-negative integer constant (a split_part index): its digits, an integer literal. */
export function integerParameter(value: number): string {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not a non-negative integer: ${value}`);
  return String(value);
}
