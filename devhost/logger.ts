// The dev host's console output: one line per request and per function log call, as `func start` prints them.
export interface Logger {
  info(message: string): void;
  functionLog(functionName: string, level: string, args: unknown[]): void;
  request(method: string, path: string, status: number, ms: number): void;
}

export function consoleLogger(write: (line: string) => void = (l) => process.stdout.write(l + '\n')): Logger {
  const stamp = (): string => new Date().toISOString().slice(11, 23);
  return {
    info: (message) => write(`[${stamp()}] ${message}`),
    functionLog: (name, level, args) =>
      write(
        `[${stamp()}] ${name} ${level}: ${args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : String(a))).join(' ')}`,
      ),
    request: (method, path, status, ms) => write(`[${stamp()}] ${method} ${path} → ${status} (${ms} ms)`),
  };
}
