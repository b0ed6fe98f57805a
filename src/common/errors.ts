/**
 * Domain errors thrown by services; the global exception filter maps each kind to HTTP, so
 * services never speak HTTP themselves.
 */
export abstract class DomainError extends Error {
  abstract readonly kind: 'invalid' | 'not_found' | 'conflict' | 'unprocessable' | 'unavailable';
}

/** Input the DTO could not judge alone (an opaque cursor that is not ours): each problem names its field. */
export class InvalidInputError extends DomainError {
  readonly kind = 'invalid';
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
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

/** A well-formed request the stored data cannot serve (captions of a transcription without timed words). */
export class UnprocessableError extends DomainError {
  readonly kind = 'unprocessable';
}

/** The database cannot be reached (down, or no pooled connection within the acquire timeout). */
export class DatabaseUnavailableError extends DomainError {
  readonly kind = 'unavailable';
  constructor(readonly cause?: unknown) {
    super('Database unavailable, try again shortly');
  }
}
