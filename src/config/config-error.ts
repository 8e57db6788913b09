// The one error a bad setting raises: its message is the line the start-up file prints.
import { AisError } from '../domain/errors.ts';

/** A setting missing or out of range (`code` config_invalid); the message is the one line to print, values of secrets hidden. */
export class ConfigError extends AisError {
  constructor(message: string) {
    super('config_invalid', message);
  }
}
