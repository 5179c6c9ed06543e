import pino, { type Logger } from "pino";

// Structured JSON logs on stdout. Secrets never reach a log line: the redact list covers the
// places they could appear, and request logs carry paths without query strings.

const holder = globalThis as unknown as { __portcullisLogger?: Logger };

export function logger(): Logger {
  if (!holder.__portcullisLogger) {
    holder.__portcullisLogger = pino({
      level: process.env.LOG_LEVEL || "info",
      base: { service: "portcullis" },
      redact: {
        paths: ["password", "token", "*.password", "*.token", "authorization", "*.authorization", "cookie", "*.cookie", "*.secret"],
        censor: "[redacted]",
      },
      timestamp: pino.stdTimeFunctions.isoTime,
    });
  }
  return holder.__portcullisLogger;
}
