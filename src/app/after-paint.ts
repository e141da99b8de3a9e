/** The Element Timing identifier of a report's heading (ReportHeader.svelte): the browser says
 * when the frame that first drew it was shown (Chromium). */
export const REPORT_HEADING = 'report-heading';

/** How long a wait for a frame lasts at most: a hidden page gets none. A frame can take well
 * over 100 ms on a busy machine; resolving before it would put more work ahead of the paint. */
const FALLBACK_MS = 1000;

/** Resolves once the browser has had a frame to paint in (a task after the next animation
 * frame), or after FALLBACK_MS where no frame comes (a hidden page); at once outside a page. */
export function afterPaint(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestAnimationFrame !== 'function') return resolve(); // not a page (tests)
    const timer = setTimeout(resolve, FALLBACK_MS);
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(timer);
        resolve();
      }, 0),
    );
  });
}

/** Whether the browser reports when elements are shown (Element Timing: Chromium). */
function hasElementTiming(): boolean {
  return (
    typeof PerformanceObserver === 'function' &&
    (PerformanceObserver.supportedEntryTypes ?? []).includes('element')
  );
}

/**
 * Resolves once a report's heading first drawn after this call is on the screen: the frame
 * presented, not only painted by the main thread (which then still has to be rastered and
 * composited, on the same cores as any work started next). Where the browser cannot tell, as
 * `afterPaint`: without Element Timing, or for a report inside a shadow root (`within`, the
 * <stevedore-report> element), whose elements it never reports; after FALLBACK_MS at the latest
 * (a hidden page, a report not shown).
 */
export function afterReportShown(within?: Node): Promise<void> {
  const inShadow = within !== undefined && within.getRootNode() !== within.ownerDocument;
  if (!hasElementTiming() || inShadow) return afterPaint();
  return new Promise((resolve) => {
    const since = performance.now();
    const finish = () => {
      observer.disconnect();
      clearTimeout(timer);
      resolve();
    };
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const { identifier, renderTime } = entry as PerformanceEntry & {
          identifier: string;
          renderTime: number;
        };
        if (identifier === REPORT_HEADING && renderTime >= since) return finish();
      }
    });
    const timer = setTimeout(finish, FALLBACK_MS);
    observer.observe({ type: 'element' });
  });
}
