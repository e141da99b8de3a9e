/**
 * The merge's event log as parallel typed arrays: one event per (node, layer) that touched the
 * node, chained newest to oldest, so a node's state as of any layer is a short walk.
 */

import { fit } from './listing.ts';

/** `entry` of an event that removed the node. */
export const ABSENT = -1;
/** `entry` of an event that made the node a directory no entry of its layer names (a parent). */
export const IMPLICIT = -2;

/** Why an event happened (Replaced: a non-directory replaced an ancestor directory). */
export const Cause = { Entry: 0, Implicit: 1, Whiteout: 2, Opaque: 3, Replaced: 4 } as const;
/** One of the Cause values. */
export type Cause = (typeof Cause)[keyof typeof Cause];

/** The event log: node, layer, entry (or ABSENT / IMPLICIT), cause, previous event of the node. */
export class Events {
  private n = 0;
  private nodes: Int32Array;
  private layers: Uint16Array;
  private entries: Int32Array;
  private prevs: Int32Array;
  private causes: Uint8Array;

  /** `expected`: about how many events there will be (the arrays start that big). */
  constructor(expected = 1024) {
    const cap = Math.max(1024, expected);
    this.nodes = new Int32Array(cap);
    this.layers = new Uint16Array(cap);
    this.entries = new Int32Array(cap);
    this.prevs = new Int32Array(cap);
    this.causes = new Uint8Array(cap);
  }

  /** Returns the number of events. */
  get count(): number {
    return this.n;
  }
  /** Returns the bytes the log holds. */
  get byteLength(): number {
    return this.nodes.length * 15;
  }
  /** Returns the node of event e. */
  node(e: number): number {
    return this.nodes[e]!;
  }
  /** Returns the layer of event e. */
  layer(e: number): number {
    return this.layers[e]!;
  }
  /** Returns the entry index of event e in its layer's listing, or ABSENT / IMPLICIT. */
  entry(e: number): number {
    return e < 0 ? ABSENT : this.entries[e]!;
  }
  /** Returns the node's previous event, or -1. */
  prev(e: number): number {
    return this.prevs[e]!;
  }
  /** Returns why event e happened. */
  cause(e: number): Cause {
    return this.causes[e]! as Cause;
  }
  /** Returns true when event e leaves its node present (false for -1, no event). */
  present(e: number): boolean {
    return e >= 0 && this.entries[e]! !== ABSENT;
  }
  /** Returns the newest event of a chain (starting at e) whose layer is below l, or -1. */
  before(e: number, l: number): number {
    while (e >= 0 && this.layers[e]! >= l) e = this.prevs[e]!;
    return e;
  }
  /** Returns the newest event of a chain (starting at e) whose layer is at most l, or -1. */
  asOf(e: number, l: number): number {
    return this.before(e, l + 1);
  }
  /** Appends an event; returns its index. */
  push(node: number, layer: number, entry: number, cause: Cause, prev: number): number {
    if (this.n === this.nodes.length) this.grow();
    const e = this.n++;
    this.nodes[e] = node;
    this.layers[e] = layer;
    this.entries[e] = entry;
    this.causes[e] = cause;
    this.prevs[e] = prev;
    return e;
  }
  /** Rewrites an event of the layer being applied (the same path touched again). */
  update(e: number, entry: number, cause: Cause): void {
    this.entries[e] = entry;
    this.causes[e] = cause;
  }

  /** Trims the arrays to the events pushed (once no more will be). */
  trim(): void {
    const n = this.n;
    this.nodes = fit(this.nodes, n);
    this.layers = fit(this.layers, n);
    this.entries = fit(this.entries, n);
    this.prevs = fit(this.prevs, n);
    this.causes = fit(this.causes, n);
  }

  private grow(): void {
    const cap = Math.max(1024, this.nodes.length * 2);
    const g = <T extends Int32Array | Uint16Array | Uint8Array>(a: T, b: T): T => {
      b.set(a);
      return b;
    };
    this.nodes = g(this.nodes, new Int32Array(cap));
    this.layers = g(this.layers, new Uint16Array(cap));
    this.entries = g(this.entries, new Int32Array(cap));
    this.prevs = g(this.prevs, new Int32Array(cap));
    this.causes = g(this.causes, new Uint8Array(cap));
  }
}
