/** Resolves once the browser has had a frame to paint in (a task after the next animation
 * frame), or after 100 ms where no frame comes (a hidden page); at once outside a page. */
export function afterPaint(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestAnimationFrame !== 'function') return resolve(); // not a page (tests)
    const timer = setTimeout(resolve, 100);
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(timer);
        resolve();
      }, 0),
    );
  });
}
