/**
 * How the twin's error catalogs are written (twin/src/arm/errors.ts, twin/src/graph/errors.ts,
 * twin/src/entra-runtime/errors.ts): one entry per error the twin answers with, as Azurite keeps every
 * error of its storage API in one factory (Azurite src/blob/errors/StorageErrorFactory.ts). An entry is
 * called to make the error and carries what it is: the HTTP status, the service's code, the message
 * template and the source they were taken from, so a reader (or a test) can list them all.
 */

/** An error a service answers with: its HTTP status and code, and the text the provider reports for it. */
export class ServiceError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, text: string) {
    super(text);
    this.status = status;
    this.code = code;
  }
}

/** What a catalog says of one error. */
export interface ErrorSpec<A extends unknown[], C extends string | number> {
  /** The HTTP status the service answers with. */
  readonly status: number;
  /** The service's error code. */
  readonly code: C;
  /** Where status, code and wording come from: a Microsoft Learn page or the provider's code. */
  readonly source: string;
  /** What of it is the twin's guess rather than the service's documented answer, when anything is. */
  readonly approximate?: string;
  /** The message, from what the error is about. */
  readonly message: (...args: A) => string;
}

/** A catalog entry: the error's description, and a call that makes it. */
export type ErrorFactory<A extends unknown[], C extends string | number, S, E> = ErrorSpec<A, C> &
  S & { (...args: A): E };

/** An entry whose errors `make` builds from its spec and the message for these arguments. */
export function errorFactory<A extends unknown[], C extends string | number, S, E>(
  spec: ErrorSpec<A, C> & S,
  make: (spec: ErrorSpec<A, C> & S, message: string) => E,
): ErrorFactory<A, C, S, E> {
  return Object.assign((...args: A) => make(spec, spec.message(...args)), spec);
}

/**
 * A refusal the provider makes itself, before any request reaches the service (no status, no code):
 * the provider's words, and where they come from.
 */
export interface ProviderErrorSpec<A extends unknown[]> {
  readonly source: string;
  readonly approximate?: string;
  readonly message: (...args: A) => string;
}

export type ProviderErrorFactory<A extends unknown[]> = ProviderErrorSpec<A> & { (...args: A): Error };

export function providerError<A extends unknown[]>(spec: ProviderErrorSpec<A>): ProviderErrorFactory<A> {
  return Object.assign((...args: A) => new Error(spec.message(...args)), spec);
}
