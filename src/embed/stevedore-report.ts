/**
 * The embed bundle's entry (dist/embed/stevedore-report.js): defines <stevedore-report>. Its
 * styles go into the element's shadow root, never into the page (see shadow-styles.ts).
 */
import './embed.css';
import { StevedoreReportElement } from './element.ts';

export { StevedoreReportElement };
export type { StevedoreReportEventMap } from './element.ts';

if (!customElements.get('stevedore-report')) {
  customElements.define('stevedore-report', StevedoreReportElement);
}
