// @ts-check
// A hard upper bound on any step that talks to a browser: a wedged browser or driver makes the
// step fail with its name and the time it was given, instead of holding the whole test run
// (CI has 90 minutes for everything; one silent hang there used them all).

/** A step that missed its deadline (a driver tells it from the step's own errors by its type). */
export class DeadlineError extends Error {}

/**
 * `promise`, or a DeadlineError naming `what` once `ms` have passed.
 * @template T
 * @param {Promise<T>} promise
 * @param {number} ms
 * @param {string} what
 * @returns {Promise<T>}
 */
export function withDeadline(promise, ms, what) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  /** @type {Promise<never>} */
  const expired = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}
