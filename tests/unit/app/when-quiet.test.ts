import { describe, expect, it } from 'vitest';
import { type GateTimers, QuietGate } from '../../../src/app/when-quiet.ts';

/** Timers driven by hand: `advance(ms)` fires what is due, `idle()` runs what waits for idle. */
function manualTimers() {
  let now = 0;
  let next = 0;
  const due = new Map<number, { at: number; run: () => void }>();
  const idle: (() => void)[] = [];
  const timers: GateTimers = {
    setTimeout: (run, ms) => {
      due.set(++next, { at: now + ms, run });
      return next;
    },
    clearTimeout: (handle) => void due.delete(handle as number),
    whenIdle: (run) => void idle.push(run),
  };
  return {
    timers,
    advance(ms: number) {
      now += ms;
      for (const [id, t] of [...due].sort((a, b) => a[1].at - b[1].at)) {
        if (t.at > now) continue;
        due.delete(id);
        t.run();
      }
    },
    idle() {
      for (const run of idle.splice(0)) run();
    },
  };
}

describe('QuietGate', () => {
  it('runs once, after the quiet time and an idle moment, never before', () => {
    const clock = manualTimers();
    let runs = 0;
    const gate = new QuietGate(() => runs++, 2000, clock.timers);
    gate.busy(false);
    clock.advance(1999);
    clock.idle();
    expect(runs).toBe(0);
    clock.advance(1);
    expect(runs).toBe(0); // waits for the page to be idle
    clock.idle();
    expect(runs).toBe(1);
    expect(gate.done).toBe(true);
    gate.busy(false);
    clock.advance(5000);
    clock.idle();
    expect(runs).toBe(1);
  });

  it('waits while an archive is opened, and counts the quiet time from its end', () => {
    const clock = manualTimers();
    let runs = 0;
    const gate = new QuietGate(() => runs++, 2000, clock.timers);
    gate.busy(false);
    clock.advance(600);
    gate.busy(true); // a drop 0.6 s after load
    clock.advance(10_000);
    clock.idle();
    expect(runs).toBe(0);
    gate.busy(false); // its report is read
    clock.advance(1500);
    clock.idle();
    expect(runs).toBe(0);
    clock.advance(500);
    clock.idle();
    expect(runs).toBe(1);
  });

  it('does not run when an archive starts opening while it waits for an idle moment', () => {
    const clock = manualTimers();
    let runs = 0;
    const gate = new QuietGate(() => runs++, 2000, clock.timers);
    gate.busy(false);
    clock.advance(2000); // due: now waiting for idle time
    gate.busy(true);
    clock.idle();
    expect(runs).toBe(0);
    gate.busy(false);
    clock.advance(1000);
    clock.idle();
    expect(runs).toBe(0);
    clock.advance(1000);
    clock.idle();
    expect(runs).toBe(1);
  });
});
