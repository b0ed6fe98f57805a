/**
 * Domain errors thrown by services; the global exception filter maps each kind to HTTP, so
 * services never speak HTTP themselves.
 */
export abstract class DomainError extends Error {
  abstract readonly kind: 'invalid' | 'not_found' | 'conflict' | 'unavailable';
}

/** Input that is well-formed but breaks a rule only the service can check (e.g. where a URL resolves); names the field. */
export class InvalidInputError extends DomainError {
  readonly kind = 'invalid';
}

export class NotFoundError extends DomainError {
  readonly kind = 'not_found';
  constructor(entity: string, id: string) {
    super(`${entity} ${id} not found`);
  }
}

/** A request that contradicts the current state: an illegal transition, a lost lease, a reused key. */
export class ConflictError extends DomainError {
  readonly kind = 'conflict';
}

/** The database cannot be reached (down, or no pooled connection within the acquire timeout). */
export class DatabaseUnavailableError extends DomainError {
  readonly kind = 'unavailable';
  constructor(readonly cause?: unknown) {
    super('Database unavailable, try again shortly');
  }
}
