/**
 * A value, or the promise of it while it loads. Resolvers return the value itself whenever it is
 * at hand: graphql-js completes a field that returns a promise in extra ticks and allocations,
 * and a workshop page has hundreds of fields.
 */
export type MaybePromise<T> = T | Promise<T>;

/** `then(value)`, at once when `value` is at hand. */
export const whenReady = <T, U>(value: MaybePromise<T>, then: (value: T) => U): MaybePromise<U> => (value instanceof Promise ? value.then(then) : then(value));

/** The values, at once when all are at hand. */
export const whenAllReady = <T extends readonly unknown[]>(values: T): MaybePromise<{ [K in keyof T]: Awaited<T[K]> }> =>
  (values.some((value) => value instanceof Promise) ? Promise.all(values) : values) as MaybePromise<{ [K in keyof T]: Awaited<T[K]> }>;
