/**
 * <stevedore-report>: the viewer as a custom element. Attributes `src` (an archive URL to fetch,
 * the only request it makes), `verify` (verify after opening) and `view` (`full` | `compact`);
 * property `file` (a Blob or File; anything else fires `error`, code `file-not-blob`); events
 * `report` (detail: the JSON report), `verified` (detail: the verification, `{ status, checks }`)
 * and `error` (detail: `{ code, message, where }`). Everything it renders lives in an open
 * shadow root.
 */
import { mount } from 'svelte';
import type { Report, Verification } from '../lib/report/model.ts';
import { verifyInProcess } from '../lib/verify/run.ts';
import type { OpenError } from '../app/tab.svelte.ts';
import type { VerifyFunction } from '../app/verification.svelte.ts';
import EmbedView from './EmbedView.svelte';
import { shadowSheet } from './shadow-styles.ts';
import { Viewer, fileProblem, reportJson, viewMode, type ViewMode } from './viewer.svelte.ts';

/** The events the element fires, by name. */
export interface StevedoreReportEventMap {
  report: CustomEvent<Report>;
  verified: CustomEvent<Verification>;
  error: CustomEvent<OpenError>;
}

/** Returns how this module verifies: in its workers, or, when the page is on another origin than
 * this module (which no browser lets start a worker from), in the page's own thread. */
function verifyFunction(): VerifyFunction | undefined {
  if (new URL(import.meta.url).origin === location.origin) return undefined;
  return (archive, report, options) => verifyInProcess(archive, report, options);
}

/** The <stevedore-report> element. */
export class StevedoreReportElement extends HTMLElement {
  static readonly observedAttributes = ['src', 'verify', 'view'];

  readonly #viewer: Viewer;
  #file: Blob | null = null;

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [shadowSheet()];
    const container = document.createElement('div');
    container.className = 'root';
    container.setAttribute('part', 'root');
    root.append(container);
    this.#viewer = new Viewer({
      onreport: (report) => this.#emit('report', report),
      onverified: (verification) => this.#emit('verified', verification),
      onerror: (error) => this.#emit('error', error),
      verify: verifyFunction(),
    });
    mount(EmbedView, { target: container, props: { viewer: this.#viewer } });
    root.addEventListener('click', (event) => this.#followInPageLink(event));
    // A `file` set before this element was defined is an own property that hides the setter.
    if (Object.hasOwn(this, 'file')) {
      const file = (this as { file?: Blob | null }).file ?? null;
      delete (this as { file?: Blob | null }).file;
      this.file = file;
    }
  }

  /** The archive shown, when it was given as a Blob or File; setting it opens it. */
  get file(): Blob | null {
    return this.#file;
  }

  set file(file: Blob | null) {
    // Pages set this from plain JavaScript too: anything else is answered with `error`, never
    // thrown at the page.
    const problem = fileProblem(file);
    if (problem) {
      this.#file = null;
      this.#viewer.fail('file', problem);
      return;
    }
    this.#file = file ?? null;
    if (file) void this.#viewer.open(file);
    else this.#viewer.clear();
  }

  /** The URL of the archive to fetch and show: the `src` attribute, resolved against the page
   * (as it is written when it cannot be, so that fetching it fails with a message). */
  get src(): string {
    const src = this.getAttribute('src') ?? '';
    if (src === '') return '';
    try {
      return new URL(src, document.baseURI).href;
    } catch {
      return src;
    }
  }

  set src(url: string) {
    this.setAttribute('src', url);
  }

  /** Whether each archive is verified once its report is shown (the `verify` attribute). */
  get verify(): boolean {
    return this.hasAttribute('verify');
  }

  set verify(on: boolean) {
    this.toggleAttribute('verify', on);
  }

  /** `full` (everything) or `compact` (the header and one line per platform). */
  get view(): ViewMode {
    return viewMode(this.getAttribute('view'));
  }

  set view(view: ViewMode) {
    this.setAttribute('view', view);
  }

  /** The report shown, as its JSON export has it; null while there is none. */
  get report(): Report | null {
    const report = this.#viewer.tab?.report;
    return report ? reportJson(report) : null;
  }

  attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    // `src` set again (even to the same URL) after a `file` shows it again: the last one wins.
    if (old === value && name !== 'src') return;
    switch (name) {
      case 'src':
        if (value) {
          this.#file = null;
          void this.#viewer.openUrl(this.src);
        }
        return;
      case 'verify':
        this.#viewer.autoVerify = value !== null;
        // Asked for once the report is already shown: verify it now.
        if (value !== null && this.#viewer.tab?.verifier.state === 'idle')
          void this.#viewer.verify();
        return;
      case 'view':
        this.#viewer.view = viewMode(value);
        return;
    }
  }

  disconnectedCallback(): void {
    // Moved elsewhere on the page is disconnected and connected again at once: keep going then.
    queueMicrotask(() => {
      if (!this.isConnected) this.#viewer.tab?.verifier.cancel();
    });
  }

  #emit<K extends keyof StevedoreReportEventMap>(
    type: K,
    detail: StevedoreReportEventMap[K]['detail'],
  ): void {
    // `error` does not bubble, as on <img>: a page's window 'error' handlers are for its scripts.
    const bubbles = type !== 'error';
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles, composed: bubbles }));
  }

  /** The report's in-page links (platform → its details) scroll within the shadow root; the
   * browser would look for their targets in the host document and set its location hash. */
  #followInPageLink(event: Event): void {
    const link = event
      .composedPath()
      .find((node): node is HTMLAnchorElement => node instanceof HTMLAnchorElement);
    const hash = link?.getAttribute('href');
    if (!hash?.startsWith('#')) return;
    event.preventDefault();
    this.shadowRoot?.getElementById(decodeURIComponent(hash.slice(1)))?.scrollIntoView();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'stevedore-report': StevedoreReportElement;
  }
}
