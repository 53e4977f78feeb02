/**
 * Per-attempt timeouts on one shared timer. Note: a `setTimeout` per attempt costs more than
 * the rest of a call on an in-memory `fetch`, because Node deletes a timer list when its last
 * timer is cleared and reschedules its native timer for the next one. Here an attempt only adds
 * an entry to a set, and one timer fires at the earliest deadline.
 */

/** A registered deadline; `expire` runs if the deadline passes before `clear` is called. */
export interface Deadline {
  readonly at: number;
  readonly expire: () => void;
}

export class DeadlineScheduler {
  readonly #pending = new Set<Deadline>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Time the timer fires at, in `performance.now()` milliseconds. */
  #timerAt = Number.POSITIVE_INFINITY;

  /** Calls `expire` after `timeoutMs` unless the returned deadline is cleared first. */
  start(timeoutMs: number, expire: () => void): Deadline {
    const deadline: Deadline = { at: performance.now() + timeoutMs, expire };
    this.#pending.add(deadline);
    if (deadline.at < this.#timerAt) {
      this.#schedule(deadline.at);
    } else if (this.#pending.size === 1) {
      // The timer is already due soon enough; it only has to keep the process alive again.
      this.#timer?.ref();
    }
    return deadline;
  }

  clear(deadline: Deadline): void {
    this.#pending.delete(deadline);
    if (this.#pending.size === 0) {
      // An idle client must not keep the process alive until the timer fires.
      this.#timer?.unref();
    }
  }

  #schedule(at: number): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
    }
    this.#timerAt = at;
    this.#timer = setTimeout(() => this.#fire(), Math.max(0, at - performance.now()));
  }

  #fire(): void {
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    const now = performance.now();
    let next = Number.POSITIVE_INFINITY;
    for (const deadline of this.#pending) {
      if (deadline.at <= now) {
        this.#pending.delete(deadline);
        deadline.expire();
      } else if (deadline.at < next) {
        next = deadline.at;
      }
    }
    if (next !== Number.POSITIVE_INFINITY) {
      this.#schedule(next);
    }
  }
}
