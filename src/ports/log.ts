// The logging the domain needs: pino's Logger satisfies it; the domain never imports pino.

export interface LogPort {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}
