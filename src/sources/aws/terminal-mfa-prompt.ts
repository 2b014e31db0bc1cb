/** Where the prompt is written: stderr in the CLI, so stdout stays the report. */
export interface PromptOutput {
  write(text: string): unknown;
}

/**
 * An MFA code provider for the SDK (fromIni's mfaCodeProvider) that asks on the terminal:
 * "MFA code for <serial>: ", then one line from `input`. Each serial is asked for once per run,
 * because every credential refresh and every account using the profile calls the provider again.
 * Prompts never overlap: two serials are asked one after the other.
 */
export function terminalMfaPrompt(input: NodeJS.ReadableStream, output: PromptOutput): (serialArn: string) => Promise<string> {
  const readLine = lineReader(input);
  const codes = new Map<string, Promise<string>>();
  let previous: Promise<unknown> = Promise.resolve();
  return (serialArn) => {
    let code = codes.get(serialArn);
    if (code === undefined) {
      code = previous.catch(() => undefined).then(async () => {
        output.write(`MFA code for ${serialArn}: `);
        const line = await readLine();
        // A terminal echoes the Enter key; piped input does not, and the next stderr line would follow the prompt.
        if (!(input as { isTTY?: boolean }).isTTY) output.write("\n");
        if (line === null) throw new Error(`no MFA code for ${serialArn}: the input ended before one was typed`);
        const typed = line.trim();
        if (!/^\d{6}$/.test(typed)) throw new Error(`MFA code for ${serialArn} must be 6 digits`);
        return typed;
      });
      previous = code;
      codes.set(serialArn, code);
    }
    return code;
  };
}

/**
 * Reads one line at a time, keeping what came after it for the next line. The stream is paused
 * between reads, so an open terminal does not keep the process alive after the prompt.
 */
function lineReader(input: NodeJS.ReadableStream): () => Promise<string | null> {
  let buffered = "";
  let ended = false;
  return () => new Promise<string | null>((resolve, reject) => {
    const takeLine = (): boolean => {
      const newline = buffered.indexOf("\n");
      if (newline >= 0) {
        const line = buffered.slice(0, newline).replace(/\r$/, "");
        buffered = buffered.slice(newline + 1);
        resolve(line);
        return true;
      }
      if (ended) {
        // A last line without a newline still counts.
        const rest = buffered;
        buffered = "";
        resolve(rest.length > 0 ? rest : null);
        return true;
      }
      return false;
    };
    if (!ended && hasEnded(input)) ended = true;
    if (takeLine()) return;
    const stop = () => {
      input.off("data", onData);
      input.off("end", onEnd);
      input.off("error", onError);
      input.pause();
    };
    const onData = (chunk: string | Buffer) => {
      buffered += typeof chunk === "string" ? chunk : chunk.toString("utf8");
      if (buffered.includes("\n")) {
        stop();
        takeLine();
      }
    };
    const onEnd = () => {
      ended = true;
      stop();
      takeLine();
    };
    const onError = (error: Error) => {
      stop();
      reject(new Error(`cannot read the MFA code: ${error.message}`));
    };
    input.on("data", onData);
    input.on("end", onEnd);
    input.on("error", onError);
    input.resume();
  });
}

function hasEnded(input: NodeJS.ReadableStream): boolean {
  return "readableEnded" in input && input.readableEnded === true;
}
