/** Slack after a deadline, so the database clock has passed it too when the timer fires. */
const SLACK_MS = 50;

/**
 * One timer for the earliest reconnect deadline this origin knows of. `arm` moves it earlier;
 * when it fires it ends what is due and re-arms for the next deadline in the table. It only makes
 * endings prompt: the sweep (`watchReconnects`) and the checks before authorize and GET keep them
 * correct when the origin that saw the disconnect is gone.
 */
export class ReconnectTimer {
  #timer: ReturnType<typeof setTimeout> | undefined;
  #at: number | undefined;
  #stopped = false;
  #run: (() => Promise<Date | undefined>) | undefined;
  #onError: (error: unknown) => void = () => {};

  /** What runs at a deadline: end what is due, answer the next deadline. */
  onDue(run: () => Promise<Date | undefined>, onError?: (error: unknown) => void): void {
    this.#run = run;
    if (onError) this.#onError = onError;
  }

  arm(at: Date): void {
    const when = at.getTime();
    if (this.#stopped || (this.#at !== undefined && this.#at <= when)) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#at = when;
    this.#timer = setTimeout(() => this.#fire(), Math.max(0, when - Date.now()) + SLACK_MS);
    this.#timer.unref?.();
  }

  #fire(): void {
    this.#timer = undefined;
    this.#at = undefined;
    this.#run?.().then((next) => {
      if (next) this.arm(next);
    }, this.#onError);
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
  }
}
